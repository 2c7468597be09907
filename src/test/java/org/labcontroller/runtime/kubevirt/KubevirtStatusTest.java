package org.labcontroller.runtime.kubevirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.labcontroller.runtime.VmStatus;
import org.labcontroller.runtime.VmStatus.Phase;

/** How KubeVirt's printable statuses, instance phases and conditions map onto the runtime's phases. */
class KubevirtStatusTest {

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "-,          -,          Always, STARTING",
            "-,          -,          Halted, STOPPED",
            "-,          -,          RerunOnFailure, STARTING",
            "Running,    Running,    RerunOnFailure, RUNNING",
            "Stopped,    Succeeded,  RerunOnFailure, STOPPED",
            "Stopped,    Succeeded,  Always, STOPPED",
            "Running,    Failed,     RerunOnFailure, FAILED",
            "Provisioning, -,        Always, STARTING",
            "Starting,   Scheduling, Always, STARTING",
            "Running,    Running,    Always, RUNNING",
            "Running,    -,          Always, STARTING",
            "Paused,     Running,    Always, RUNNING",
            "Migrating,  Running,    Always, RUNNING",
            "Stopping,   Running,    Halted, STARTING",
            "Terminating, Running,   Halted, STARTING",
            "Stopped,    -,          Halted, STOPPED",
            "WaitingForVolumeBinding, -, Always, STARTING",
            "ErrImagePull, Scheduled, Always, FAILED",
            "ImagePullBackOff, Scheduled, Always, FAILED",
            "ErrorUnschedulable, Pending, Always, FAILED",
            "CrashLoopBackOff, -,    Always, FAILED",
            "ErrorDataVolumeNotReady, -, Always, FAILED",
            "Unknown,    Running,    Always, FAILED",
            "Running,    Failed,     Always, FAILED"})
    void phases(String printable, String vmiPhase, String runStrategy, Phase expected) {
        assertEquals(expected, VmStatusAggregator.status("l", vm(printable, runStrategy, null), vmi(vmiPhase, null)).phase());
    }

    @Test
    void crashLoopsAreExplainedWithTheInstancesMessage() {
        VmStatus status = VmStatusAggregator.status("l", vm("CrashLoopBackOff", "Always", null),
                vmi("Failed", Map.of("type", "Ready", "status", "False", "reason", "CrashLoopBackOff",
                        "message", "virt-launcher exited with code 1")));
        assertEquals("The lab's machine keeps crashing, so KubeVirt waits before starting it again (CrashLoopBackOff): "
                + "virt-launcher exited with code 1", status.reason());
    }

    @Test
    void aFailureWithoutMessageIsStillASentence() {
        assertEquals("No cluster node can run the lab now (Unschedulable).",
                VmStatusAggregator.status("l", vm("Unschedulable", "Always", null), null).reason());
    }

    @Test
    void aFailedInstanceTellsTheVmsFailureCondition() {
        VmStatus status = VmStatusAggregator.status("l", vm("Stopped", "Always",
                Map.of("type", "Failure", "status", "True", "message", "launcher pod evicted")), vmi("Failed", null));
        assertEquals("The lab's machine stopped unexpectedly (Failed): launcher pod evicted", status.reason());
    }

    @Test
    void aGuestShutdownUnderRerunOnFailureIsReportedAsPoweredOff() {
        GenericKubernetesResource vm = vm("Stopped", "RerunOnFailure", null);
        VmStatus off = VmStatusAggregator.status("l", vm, vmi("Succeeded", null));
        assertEquals(Phase.STOPPED, off.phase());
        assertTrue(off.poweredOff(), "its instance Succeeded");
        assertFalse(VmStatusAggregator.status("l", vm, null).poweredOff(), "KubeVirt has not processed the strategy yet");
        vm.<Map<String, Object>>get("status").put("runStrategy", "RerunOnFailure");
        assertTrue(VmStatusAggregator.status("l", vm, null).poweredOff(), "the instance removed, KubeVirt leaves it Stopped");
    }

    @Test
    void aHaltedVmOrAPendingRestartIsNotAPowerOff() {
        assertFalse(VmStatusAggregator.status("l", vm("Stopped", "Halted", null), vmi("Succeeded", null)).poweredOff());
        assertFalse(VmStatusAggregator.status("l", vm("Stopped", "Always", null), vmi("Succeeded", null)).poweredOff());
        GenericKubernetesResource restarting = vm("Stopped", "RerunOnFailure", null);
        restarting.<Map<String, Object>>get("status").put("stateChangeRequests", List.of(Map.of("action", "Start")));
        assertFalse(VmStatusAggregator.status("l", restarting, vmi("Succeeded", null)).poweredOff());
    }

    private static GenericKubernetesResource vm(String printable, String runStrategy, Map<String, Object> condition) {
        GenericKubernetesResource vm = new GenericKubernetesResource();
        vm.setMetadata(new ObjectMetaBuilder().withName("lab-l").build());
        vm.setAdditionalProperty("spec", Map.of("runStrategy", runStrategy));
        Map<String, Object> status = new java.util.HashMap<>();
        if (printable != null) {
            status.put("printableStatus", printable);
        }
        if (condition != null) {
            status.put("conditions", List.of(condition));
        }
        vm.setAdditionalProperty("status", status);
        return vm;
    }

    private static GenericKubernetesResource vmi(String phase, Map<String, Object> condition) {
        if (phase == null) {
            return null;
        }
        GenericKubernetesResource vmi = new GenericKubernetesResource();
        vmi.setMetadata(new ObjectMetaBuilder().withName("lab-l").build());
        vmi.setAdditionalProperty("status", condition == null ? Map.of("phase", phase)
                : Map.of("phase", phase, "conditions", List.of(condition)));
        return vmi;
    }
}
