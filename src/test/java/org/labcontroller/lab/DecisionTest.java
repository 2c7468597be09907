package org.labcontroller.lab;

import org.labcontroller.runtime.VmStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.labcontroller.lab.Decision.Action;
import org.labcontroller.runtime.VmStatus.Phase;

class DecisionTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private static Lab lab(Desired desired, LabState state, int restartGeneration, int restartObserved) {
        return new Lab("l1", "o1", "owner", "t1", "demo", desired, 1, restartGeneration, restartObserved, state, null,
                NOW, NOW, null, NOW.plusSeconds(3600));
    }

    private static VmStatus vm(Phase phase) {
        return new VmStatus("l1", phase, phase == Phase.FAILED ? "QEMU exited unexpectedly" : null);
    }

    @Test
    void pendingLabWithoutVmIsStarted() {
        Decision d = Decision.decide(lab(Desired.RUNNING, LabState.PENDING, 0, 0), null, NOW);
        assertEquals(Action.START, d.action());
        assertEquals(LabState.STARTING, d.state());
    }

    @Test
    void runningVmMakesLabRunning() {
        Decision d = Decision.decide(lab(Desired.RUNNING, LabState.STARTING, 0, 0), vm(Phase.RUNNING), NOW);
        assertEquals(new Decision(Action.NONE, LabState.RUNNING, null), d);
    }

    @Test
    void howAReadyMachineStartedBecomesTheRunningLabsReason() {
        VmStatus warm = new VmStatus("l1", Phase.RUNNING, "Warm start: restored from its template's saved state.", 0, true);
        Decision d = Decision.decide(lab(Desired.RUNNING, LabState.STARTING, 0, 0), warm, NOW);
        assertEquals(new Decision(Action.NONE, LabState.RUNNING, "Warm start: restored from its template's saved state."), d);
    }

    @Test
    void requestedRestartIsCarriedOutOnce() {
        assertEquals(Action.RESTART, Decision.decide(lab(Desired.RUNNING, LabState.STARTING, 1, 0), vm(Phase.RUNNING), NOW).action());
        assertEquals(Action.NONE, Decision.decide(lab(Desired.RUNNING, LabState.STARTING, 1, 1), vm(Phase.RUNNING), NOW).action());
    }

    @Test
    void crashedVmFailsTheLabWithItsReasonAndIsNotRelaunchedByItself() {
        Decision d = Decision.decide(lab(Desired.RUNNING, LabState.RUNNING, 0, 0), vm(Phase.FAILED), NOW);
        assertEquals(new Decision(Action.NONE, LabState.FAILED, "QEMU exited unexpectedly"), d);
        Lab failed = lab(Desired.RUNNING, LabState.FAILED, 0, 0);
        assertEquals(Action.NONE, Decision.decide(failed, vm(Phase.FAILED), NOW).action());
        assertEquals(Action.NONE, Decision.decide(failed, null, NOW).action());
    }

    @Test
    void startAfterFailureLaunchesAgain() {
        Decision d = Decision.decide(lab(Desired.RUNNING, LabState.PENDING, 0, 0), vm(Phase.FAILED), NOW);
        assertEquals(Action.START, d.action());
    }

    @Test
    void stopDesiredStopsARunningVmAndSettlesOnStopped() {
        assertEquals(Action.STOP, Decision.decide(lab(Desired.STOPPED, LabState.STOPPING, 0, 0), vm(Phase.RUNNING), NOW).action());
        assertEquals(new Decision(Action.NONE, LabState.STOPPED, null),
                Decision.decide(lab(Desired.STOPPED, LabState.STOPPING, 0, 0), vm(Phase.STOPPED), NOW));
    }

    @Test
    void deletedLabIsDeletedAndExpiredLabExpires() {
        assertEquals(Action.DELETE, Decision.decide(lab(Desired.DELETED, LabState.RUNNING, 0, 0), vm(Phase.RUNNING), NOW).action());
        assertEquals(Action.EXPIRE, Decision.decide(lab(Desired.RUNNING, LabState.RUNNING, 0, 0), vm(Phase.RUNNING),
                NOW.plusSeconds(3600)).action());
    }

    @Test
    void aGuestPowerOffIsHonouredUnlessTheUserAskedForAStartSince() {
        VmStatus off = VmStatus.poweredOff("l1", "The machine powered itself off.", 0);
        assertEquals(new Decision(Action.POWERED_OFF, LabState.STOPPED, Reasons.POWERED_OFF),
                Decision.decide(lab(Desired.RUNNING, LabState.RUNNING, 0, 0), off, NOW));
        assertEquals(Action.POWERED_OFF, Decision.decide(lab(Desired.RUNNING, LabState.STARTING, 0, 0), off, NOW).action());
        assertEquals(Action.START, Decision.decide(lab(Desired.RUNNING, LabState.PENDING, 0, 0), off, NOW).action(),
                "a Start the user asked for after it powered off");
        assertEquals(Action.START, Decision.decide(lab(Desired.RUNNING, LabState.STARTING, 1, 0), off, NOW).action(),
                "a Restart the user asked for after it powered off");
        assertEquals(new VmStatus("l1", Phase.STOPPED, null), new VmStatus("l1", Phase.STOPPED, null, 0, false, false));
        assertEquals(Action.START, Decision.decide(lab(Desired.RUNNING, LabState.RUNNING, 0, 0), vm(Phase.STOPPED), NOW).action(),
                "a machine that vanished without powering off is still started again");
    }

    @Test
    void aPoweredOffMachineOfAStoppedLabIsHaltedAndTheLabShowsWhy() {
        VmStatus off = VmStatus.poweredOff("l1", "The machine powered itself off.", 0);
        Lab recorded = new Lab("l1", "o1", "owner", "t1", "demo", Desired.STOPPED, 2, 0, 0, LabState.STOPPED,
                Reasons.POWERED_OFF, NOW, NOW, null, NOW.plusSeconds(3600));
        assertEquals(new Decision(Action.STOP, LabState.STOPPED, Reasons.POWERED_OFF), Decision.decide(recorded, off, NOW));
        assertEquals(new Decision(Action.NONE, LabState.STOPPED, Reasons.POWERED_OFF), Decision.decide(recorded, vm(Phase.STOPPED), NOW));
        assertEquals(new Decision(Action.STOP, LabState.STOPPED, null),
                Decision.decide(lab(Desired.STOPPED, LabState.STOPPING, 0, 0), off, NOW), "already stopping: just Stopped");
    }
}
