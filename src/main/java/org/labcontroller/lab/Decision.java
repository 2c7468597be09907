package org.labcontroller.lab;

import org.labcontroller.runtime.VmStatus;

/**
 * The reconcile loop's judgement for one lab: which runtime action brings it closer to what the
 * user asked for, and which state and reason to show meanwhile. A pure function of the stored lab
 * and the observed machine, so every rule can be unit-tested and is level-triggered by design.
 */
public record Decision(Action action, LabState state, String reason) {

    /**
     * The runtime call the loop makes for a lab; {@code EXPIRE} and {@code POWERED_OFF} change the
     * lab's desired state instead (its lifetime ended; its guest shut itself down). {@code RESET}
     * removes a lab's machine and disk for a reset to its template, and {@code RESET_DONE} records
     * that none is left (see {@link ResetDecision}).
     */
    public enum Action { NONE, START, STOP, RESTART, DELETE, EXPIRE, POWERED_OFF, RESET, RESET_DONE }

    public static Decision decide(Lab lab, VmStatus observed, java.time.Instant now) {
        if (lab.desired() == Desired.DELETED) {
            return new Decision(Action.DELETE, LabState.DELETING, lab.stateReason());
        }
        if (lab.expired(now)) {
            return new Decision(Action.EXPIRE, LabState.DELETING, "Its lifetime ended");
        }
        VmStatus.Phase phase = observed == null ? VmStatus.Phase.STOPPED : observed.phase();
        if (lab.desired() == Desired.STOPPED) {
            return switch (phase) {
                case RUNNING, STARTING -> new Decision(Action.STOP, LabState.STOPPING, null);
                // A failed machine may still hold resources (a pod, a reservation): halt it too.
                case FAILED -> new Decision(Action.STOP, LabState.STOPPING, null);
                // A guest that shut itself down leaves a machine the runtime would start again on its
                // own (KubeVirt's RerunOnFailure) or a stale launch (QEMU): halt it, as a stop does.
                case STOPPED -> new Decision(observed != null && observed.poweredOff() ? Action.STOP : Action.NONE, LabState.STOPPED,
                        lab.state() == LabState.STOPPED && Reasons.POWERED_OFF.equals(lab.stateReason()) ? Reasons.POWERED_OFF : null);
            };
        }
        return switch (phase) {
            case RUNNING -> lab.restartGeneration() > Math.max(lab.restartObserved(), observed.restartGeneration())
                    ? new Decision(Action.RESTART, LabState.STARTING, null)
                    : observed.ready() ? new Decision(Action.NONE, LabState.RUNNING, observed.reason()) : booting(lab, observed, now);
            case STARTING -> new Decision(Action.NONE, LabState.STARTING, null);
            // A failure stays visible until the user asks for a start again (state Pending).
            case FAILED -> lab.state() == LabState.PENDING
                    ? new Decision(Action.START, LabState.STARTING, null)
                    : new Decision(Action.NONE, LabState.FAILED, observed.reason());
            case STOPPED -> lab.state() == LabState.FAILED
                    ? new Decision(Action.NONE, LabState.FAILED, lab.stateReason())
                    : observed != null && observed.poweredOff() && !askedSince(lab)
                            ? new Decision(Action.POWERED_OFF, LabState.STOPPED, Reasons.POWERED_OFF)
                            : new Decision(Action.START, LabState.STARTING, null);
        };
    }

    /**
     * Whether the user asked for a start or restart that the loop has not carried out yet (the state
     * a request shows, or a restart generation not reached): a guest power-off seen now happened
     * before that request, which therefore wins.
     */
    private static boolean askedSince(Lab lab) {
        return lab.state() == LabState.PENDING || lab.restartGeneration() > lab.restartObserved();
    }

    /**
     * A machine that runs but is not usable yet: Starting with what it waits for, until its
     * template's readiness deadline; then Failed and halted, so a guest that never becomes ready
     * does not burn a core (the loop restarts it instead while its crash budget lasts).
     */
    private static Decision booting(Lab lab, VmStatus observed, java.time.Instant now) {
        if (now.isBefore(lab.readyDeadline())) {
            return new Decision(Action.NONE, LabState.STARTING,
                    observed.reason() == null ? "Booting: waiting for it to become ready." : observed.reason());
        }
        return new Decision(Action.STOP, LabState.FAILED, lab.state() == LabState.FAILED ? lab.stateReason()
                : Reasons.notReady(lab.readinessTimeoutSeconds(), observed.reason()));
    }
}
