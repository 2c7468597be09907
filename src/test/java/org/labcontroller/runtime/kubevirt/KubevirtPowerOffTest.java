package org.labcontroller.runtime.kubevirt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.labcontroller.lab.Decision;
import org.labcontroller.lab.Decision.Action;
import org.labcontroller.lab.Desired;
import org.labcontroller.lab.Lab;
import org.labcontroller.lab.LabState;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmStatus;
import org.labcontroller.runtime.VmStatus.Phase;

/**
 * A student's {@code poweroff} on KubeVirt: a running lab's VM is {@code RerunOnFailure}, so
 * KubeVirt leaves a guest that shut itself down stopped (instance Succeeded); the runtime reports
 * it powered off, the loop's decisions record the lab Stopped and halt the VM, and a later start
 * runs it again once KubeVirt has carried out the halt.
 */
class KubevirtPowerOffTest extends MockClusterTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void runningLabsUseRerunOnFailure() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        assertEquals("RerunOnFailure", cluster.vm("lab-" + lab).get("spec", "runStrategy"));
        runtime.stop(lab);
        cluster.setVmRunStatus("lab-" + lab, "Stopped", "Halted");
        runtime.start(Labs.spec(lab));
        assertEquals("RerunOnFailure", cluster.vm("lab-" + lab).get("spec", "runStrategy"), "and again after a stop");
    }

    @Test
    void aGuestShutdownIsObservedAsPoweredOffAndTheLoopsStopLeavesItHalted() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        cluster.runInstance("lab-" + lab, "Running", null);
        cluster.setVmRunStatus("lab-" + lab, "Running", "RerunOnFailure");
        await().atMost(WAIT).until(() -> runtime.observe(lab) != null && runtime.observe(lab).phase() == Phase.RUNNING);

        cluster.runInstance("lab-" + lab, "Succeeded", null); // the guest ran poweroff; KubeVirt does not rerun it
        cluster.setVmRunStatus("lab-" + lab, "Stopped", "RerunOnFailure");
        await().atMost(WAIT).until(() -> runtime.observe(lab).poweredOff());
        VmStatus off = runtime.observe(lab);
        assertEquals(Phase.STOPPED, off.phase());

        Decision seen = Decision.decide(lab(lab, Desired.RUNNING, LabState.RUNNING, null), off, NOW);
        assertEquals(Action.POWERED_OFF, seen.action(), "the loop records it Stopped instead of starting it");
        Decision next = Decision.decide(lab(lab, Desired.STOPPED, LabState.STOPPED, seen.reason()), off, NOW);
        assertEquals(new Decision(Action.STOP, LabState.STOPPED, "It was shut down from inside the lab."), next);
        runtime.stop(lab); // the loop's next action
        assertEquals("Halted", cluster.vm("lab-" + lab).get("spec", "runStrategy"));
        await().atMost(WAIT).until(() -> !runtime.observe(lab).poweredOff());
        assertEquals(Action.NONE, Decision.decide(lab(lab, Desired.STOPPED, LabState.STOPPED, seen.reason()),
                runtime.observe(lab), NOW).action(), "steady once halted");
    }

    @Test
    void aStartOfAPoweredOffVmHaltsItFirstThenStartsItOnceKubevirtHasStoppedIt() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        cluster.runInstance("lab-" + lab, "Succeeded", null);
        cluster.setVmRunStatus("lab-" + lab, "Stopped", "RerunOnFailure");

        // The user's Start came before the loop halted it: setting RerunOnFailure again would start nothing.
        assertThrows(RuntimeFailure.class, () -> runtime.start(Labs.spec(lab)));
        assertEquals("Halted", cluster.vm("lab-" + lab).get("spec", "runStrategy"));
        RuntimeFailure waiting = assertThrows(RuntimeFailure.class, () -> runtime.start(Labs.spec(lab)));
        assertFalse(waiting.permanent(), "retried by the loop: " + waiting.getMessage());
        assertEquals("Halted", cluster.vm("lab-" + lab).get("spec", "runStrategy"), "not while the old instance is there");

        cluster.removeInstance("lab-" + lab); // KubeVirt carried out the halt
        cluster.setVmRunStatus("lab-" + lab, "Stopped", "Halted");
        runtime.start(Labs.spec(lab));
        assertEquals("RerunOnFailure", cluster.vm("lab-" + lab).get("spec", "runStrategy"));
    }

    private static Lab lab(String id, Desired desired, LabState state, String reason) {
        return new Lab(id, "o1", "alice", "t1", "demo", desired, 1, 0, 0, state, reason, NOW, NOW, null, NOW.plusSeconds(3600));
    }
}
