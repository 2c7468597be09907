package org.labcontroller.runtime.kubevirt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus.Phase;
import org.labcontroller.runtime.WarmTarget;

/**
 * The warm pool on KubeVirt (mock API server playing KubeVirt): it keeps N started VMs per template,
 * a lab start takes a ready one without creating a VM, the pool refills, the claimed VM is the lab's
 * for every later call, two starts never take one VM, and pools no longer wanted are removed. Every
 * request is checked against deploy/base's RBAC after each test ({@link MockClusterTest}).
 */
class KubevirtWarmPoolTest extends MockClusterTest {
    private final String template = UUID.randomUUID().toString();

    @org.junit.jupiter.api.BeforeEach
    void listedOnce() {
        await().atMost(WAIT).until(runtime::synced);
    }

    private VmSpec spec(String lab) {
        return Labs.spec(lab).withTemplate(template);
    }

    private List<GenericKubernetesResource> pooled() {
        return cluster.vms().stream().filter(vm -> vm.getMetadata().getLabels().containsKey(KubevirtObjects.POOL)).toList();
    }

    private long vmCreations() {
        return cluster.calls().stream().filter(c -> c.method().equals("POST") && c.pathOnly().endsWith("/virtualmachines")).count();
    }

    /** Keeps {@code size} VMs warm, waits until the runtime sees them all, and plays KubeVirt starting them. */
    private void warm(int size) throws Exception {
        runtime.keepWarm(List.of(new WarmTarget(template, spec(null), size)));
        assertEquals(size, pooled().size());
        pooled().forEach(vm -> cluster.run(vm.getMetadata().getName(), null));
        await().atMost(WAIT).until(() -> runtime.warmReady(spec(null)) == size);
    }

    private GenericKubernetesResource vmOf(String lab) {
        List<GenericKubernetesResource> vms = cluster.vms().stream()
                .filter(vm -> lab.equals(vm.getMetadata().getLabels().get(KubevirtObjects.LAB_ID))).toList();
        assertEquals(1, vms.size(), "one VM per lab");
        return vms.get(0);
    }

    @Test
    void thePoolKeepsTheWantedNumberOfStartedVmsThatAreNoLabs() throws Exception {
        runtime.keepWarm(List.of(new WarmTarget(template, spec(null), 3)));
        List<GenericKubernetesResource> pool = pooled();
        assertEquals(3, pool.size());
        for (GenericKubernetesResource vm : pool) {
            assertEquals("RerunOnFailure", vm.get("spec", "runStrategy"), "started ahead of use");
            assertNull(vm.getMetadata().getLabels().get(KubevirtObjects.LAB_ID), "no lab's, so no one's quota");
            assertEquals(template, vm.getMetadata().getLabels().get(KubevirtObjects.TEMPLATE));
            assertEquals("default", vm.getMetadata().getLabels().get(KubevirtObjects.INSTALLATION));
            String secret = CloudInitSecrets.name(vm.getMetadata().getName());
            assertEquals(secret, vm.get("spec", "template", "spec", "volumes", 1, "cloudInitNoCloud", "secretRef", "name"));
            assertEquals(vm.getMetadata().getUid(), cluster.client().secrets().inNamespace(FakeKubevirt.NAMESPACE).withName(secret)
                    .get().getMetadata().getOwnerReferences().get(0).getUid(), "the template's user data, deleted with the VM");
        }
        await().atMost(WAIT).until(() -> runtime.warmReady(spec(null)) == 0 && runtime.observe().isEmpty());
        runtime.keepWarm(List.of(new WarmTarget(template, spec(null), 3)));
        assertEquals(3, pooled().size(), "asking again creates nothing");
    }

    @Test
    void aStartTakesAReadyPooledVmWithoutCreatingOneAndThePoolRefills() throws Exception {
        warm(2);
        long created = vmCreations();
        String lab = Labs.newLabId();
        runtime.start(spec(lab));

        GenericKubernetesResource vm = vmOf(lab);
        assertTrue(vm.getMetadata().getName().startsWith("pool-"), vm.getMetadata().getName());
        assertEquals(Map.of("app.kubernetes.io/managed-by", "lab-controller", "lab-controller.dev/installation", "default",
                "lab-controller.dev/lab-id", lab, "lab-controller.dev/owner", "alice", "lab-controller.dev/network", "isolated",
                KubevirtObjects.TEMPLATE, template), vm.getMetadata().getLabels(), "the lab's labels, no pool's");
        assertEquals(lab, vm.get("spec", "template", "metadata", "labels", KubevirtObjects.LAB_ID), "its next instance's too");
        assertEquals("alice", vm.getMetadata().getAnnotations().get(KubevirtObjects.OWNER_ANNOTATION));
        assertEquals(Phase.RUNNING, runtime.observe(lab).phase());
        assertTrue(runtime.observe(lab).ready(), "usable at once: it booted before the start");

        await("the refill").atMost(WAIT).until(() -> pooled().size() == 2);
        assertEquals(created + 1, vmCreations(), "the start created none; the refill created one");
        await().atMost(WAIT).until(() -> runtime.observe().containsKey(lab));
        assertEquals(Set.of(lab), runtime.observe().keySet(), "pooled VMs are not labs");
    }

    @Test
    void theClaimedVmIsStoppedStartedRestartedAndDeletedAsTheLabs() throws Exception {
        warm(1);
        String lab = Labs.newLabId();
        runtime.start(spec(lab));
        String name = vmOf(lab).getMetadata().getName();

        runtime.stop(lab);
        assertEquals("Halted", cluster.vm(name).get("spec", "runStrategy"));
        cluster.removeInstance(name);
        cluster.setVmRunStatus(name, "Stopped", "Halted");
        long created = vmCreations();
        runtime.start(spec(lab));
        assertEquals("RerunOnFailure", cluster.vm(name).get("spec", "runStrategy"));
        assertEquals(created, vmCreations(), "its own machine again, not another one");
        cluster.run(name, null);

        VmSpec restart = new VmSpec(lab, "alice", spec(lab).image(), 2, 1024, spec(lab).cloudInit(), true, true, 1)
                .withTemplate(template);
        await().atMost(WAIT).until(() -> runtime.observe(lab) != null && runtime.observe(lab).phase() == Phase.RUNNING);
        runtime.restart(restart);
        assertEquals(List.of(name), cluster.restarts());
        assertEquals(1, VirtualMachineBuilder.restartGeneration(cluster.vm(name)));

        runtime.delete(lab);
        assertNull(cluster.vm(name));
    }

    @Test
    void aSecondClaimOfTheSameVmIsRefusedAsAWhole() throws Exception {
        warm(1);
        String name = pooled().get(0).getMetadata().getName();
        String key = pooled().get(0).getMetadata().getLabels().get(KubevirtObjects.POOL);
        String first = Labs.newLabId();
        String second = Labs.newLabId();
        var vms = cluster.client().genericKubernetesResources(KubevirtObjects.VM).inNamespace(FakeKubevirt.NAMESPACE);
        vms.withName(name).patch(PatchContext.of(PatchType.JSON),
                cluster.client().getKubernetesSerialization().asJson(PoolClaims.patch(spec(first), key)));
        KubernetesClientException refused = assertThrows(KubernetesClientException.class, () -> vms.withName(name)
                .patch(PatchContext.of(PatchType.JSON), cluster.client().getKubernetesSerialization().asJson(PoolClaims.patch(spec(second), key))));
        assertEquals(422, refused.getCode());
        assertEquals(first, cluster.vm(name).getMetadata().getLabels().get(KubevirtObjects.LAB_ID), "the first claim holds");
    }

    @Test
    void concurrentStartsNeverTakeTheSameVm() throws Exception {
        warm(2);
        KubevirtRuntime replica = new KubevirtRuntime(cluster.client(), Labs.config()); // a second controller, claiming too
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            await().atMost(WAIT).ignoreExceptions().until(() -> replica.warmReady(spec(null)) == 2);
            CountDownLatch go = new CountDownLatch(1);
            List<String> labs = new ArrayList<>();
            List<Future<?>> starts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String lab = Labs.newLabId();
                labs.add(lab);
                KubevirtRuntime controller = i % 2 == 0 ? runtime : replica;
                starts.add(threads.submit(() -> {
                    go.await();
                    controller.start(spec(lab));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> start : starts) {
                start.get();
            }
            Set<String> vms = labs.stream().map(lab -> vmOf(lab).getMetadata().getName()).collect(Collectors.toSet());
            assertEquals(4, vms.size(), "four labs, four machines: " + vms);
            long claimed = vms.stream().filter(n -> n.startsWith("pool-")).count();
            assertEquals(2, claimed, "both pooled VMs taken, each by one lab; the others booted their own");
        } finally {
            threads.shutdownNow();
            replica.close();
        }
    }

    @Test
    void poolsNoLongerWantedAreRemoved() throws Exception {
        warm(3);
        runtime.keepWarm(List.of(new WarmTarget(template, spec(null), 1)));
        assertEquals(1, pooled().size(), "the size was lowered");

        VmSpec changed = Labs.spec(null, true, false, null).withTemplate(template);
        runtime.keepWarm(List.of(new WarmTarget(template, changed, 1)));
        assertEquals(1, pooled().size(), "the template changed: its old pool goes, a new one comes");
        GenericKubernetesResource fresh = pooled().get(0);
        assertEquals(false, fresh.get("spec", "template", "spec", "domain", "devices", "autoattachGraphicsDevice"));

        cluster.run(fresh.getMetadata().getName(), null);
        await().atMost(WAIT).until(() -> runtime.warmReady(changed) == 1);
        runtime.keepWarm(List.of());
        assertTrue(pooled().isEmpty(), "the template was deleted, or its pool went idle");
        assertFalse(cluster.calls().stream().anyMatch(c -> c.method().equals("DELETE") && c.pathOnly().contains("/virtualmachines/lab-")));
    }
}
