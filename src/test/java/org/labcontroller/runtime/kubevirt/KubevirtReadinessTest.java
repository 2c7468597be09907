package org.labcontroller.runtime.kubevirt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.Readiness;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus;
import org.labcontroller.runtime.VmStatus.Phase;

/**
 * Readiness on KubeVirt (mock API server): with {@code agent}, a running instance is ready only
 * once its {@code AgentConnected} condition is True, and the informer's event tells the loop; with
 * {@code none}, as soon as it runs; console readiness is not offered (watching KubeVirt's one
 * console connection would take it from the student).
 */
class KubevirtReadinessTest extends MockClusterTest {
    private static final Map<String, Object> AGENT_CONNECTED = Map.of("type", "AgentConnected", "status", "True");

    private static VmSpec spec(String lab, String mode) {
        VmSpec s = Labs.spec(lab);
        return new VmSpec(lab, s.owner(), s.image(), s.cpus(), s.memoryMb(), s.cloudInit(), s.console(), s.vnc(), 0,
                new Readiness(mode, null, 300));
    }

    @Test
    void anAgentLabIsReadyOnlyOnceItsGuestAgentConnected() throws Exception {
        Set<String> changed = ConcurrentHashMap.newKeySet();
        runtime.watch(changed::add);
        String lab = Labs.newLabId();
        String name = "lab-" + lab;
        runtime.start(spec(lab, Readiness.AGENT));
        GenericKubernetesResource vm = cluster.vm(name);
        assertEquals("agent", vm.getMetadata().getAnnotations().get(VirtualMachineBuilder.READINESS_ANNOTATION));

        cluster.setVmStatus(name, "Running", null);
        cluster.runInstance(name, "Running", Map.of("type", "Ready", "status", "True"));
        await().atMost(WAIT).until(() -> runtime.observe(lab) != null && runtime.observe(lab).phase() == Phase.RUNNING);
        VmStatus booting = runtime.observe(lab);
        assertFalse(booting.ready(), "the instance runs, its guest agent has not connected: " + booting);
        assertEquals(VmStatusAggregator.AGENT_WAITING, booting.reason());

        changed.clear();
        cluster.runInstance(name, "Running", AGENT_CONNECTED);
        await("the informer's event").atMost(WAIT).until(() -> changed.contains(lab));
        await().atMost(WAIT).until(() -> runtime.observe(lab).ready());
        assertEquals(new VmStatus(lab, Phase.RUNNING, null, 0, true), runtime.observe(lab));
    }

    @Test
    void aLabWithoutReadinessIsReadyAsSoonAsItsInstanceRuns() throws Exception {
        String lab = Labs.newLabId();
        String name = "lab-" + lab;
        runtime.start(spec(lab, Readiness.NONE));
        cluster.setVmStatus(name, "Running", null);
        cluster.runInstance(name, "Running", null);
        await().atMost(WAIT).until(() -> runtime.observe(lab) != null && runtime.observe(lab).ready());
    }

    @Test
    void aTemplateThatChangesToAgentReadinessUpdatesTheExistingVm() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(spec(lab, Readiness.NONE));
        runtime.start(spec(lab, Readiness.AGENT));
        assertEquals("agent", cluster.vm("lab-" + lab).getMetadata().getAnnotations().get(VirtualMachineBuilder.READINESS_ANNOTATION));
    }

    @Test
    void consoleReadinessIsNotOffered() {
        assertEquals(Set.of(Readiness.NONE, Readiness.AGENT), runtime.readinessModes());
    }
}
