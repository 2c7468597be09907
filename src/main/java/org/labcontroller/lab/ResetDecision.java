package org.labcontroller.lab;

import java.time.Instant;
import java.util.Optional;
import org.labcontroller.lab.Decision.Action;
import org.labcontroller.runtime.VmStatus;

/**
 * The reconcile loop's judgement for a lab with a pending reset to its template, ahead of
 * {@link Decision}: while the runtime still holds a machine of the lab, remove it with its disk
 * ({@code RESET}); once it holds none, record the reset as done ({@code RESET_DONE}). After that the
 * ordinary decision starts a fresh machine from the template when the lab is wanted running, and a
 * stopped lab stays stopped with no disk (its next start makes a fresh one).
 *
 * <p>Two steps, level-triggered, instead of a delete and a create in one call: the runtime may take
 * a while to remove a machine (a KubeVirt VM with finalizers), and the loop creates the new one only
 * when it observes that the old one is gone. A pure function, like {@link Decision}.
 */
final class ResetDecision {
    /** What a lab shows while its reset is carried out. */
    static final String RESETTING = "Resetting it to its template's initial state.";

    private ResetDecision() {
    }

    /**
     * The reset step for {@code lab}, or empty when no reset is pending or another rule comes first:
     * a delete (asked for or by expiry) wins over a reset, since it removes the machine anyway.
     */
    static Optional<Decision> decide(Lab lab, Optional<Integer> pending, VmStatus observed, Instant now) {
        if (pending.isEmpty() || lab.desired() == Desired.DELETED || lab.expired(now)) {
            return Optional.empty();
        }
        LabState shown = lab.desired() == Desired.RUNNING ? LabState.STARTING : LabState.STOPPED;
        return Optional.of(new Decision(observed == null ? Action.RESET_DONE : Action.RESET, shown, RESETTING));
    }
}
