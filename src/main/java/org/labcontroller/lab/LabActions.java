package org.labcontroller.lab;

import java.time.Clock;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmStatus;

/**
 * Carries out one {@link Decision} of the reconcile loop: the runtime call it names, or the one
 * change of the desired state the loop itself makes (an expiry; a guest that shut itself down).
 * Kept apart from {@link LabLoop}, which decides when to act and what the outcome means.
 */
final class LabActions {
    private static final Logger LOG = Logger.getLogger(LabLoop.class);

    private final LabStore store;
    private final LabRuntime runtime;
    private final LoopHooks hooks;
    private final Clock clock;

    LabActions(LabStore store, LabRuntime runtime, LoopHooks hooks, Clock clock) {
        this.store = store;
        this.runtime = runtime;
        this.hooks = hooks;
        this.clock = clock;
    }

    /** Carries out {@code d} for {@code lab}, whose machine was last seen as {@code observed} (null: none). */
    void perform(Lab lab, Decision d, VmStatus observed, long epoch) throws RuntimeFailure {
        switch (d.action()) {
            case START -> {
                if (observed != null && observed.poweredOff()) {
                    // Halted first, so a start that fails is not seen next turn as a new power-off
                    // (which would override the user's Start); KubeVirt needs the halt anyway.
                    hooks.timed("stop", () -> runtime.stop(lab.id()));
                }
                hooks.timed("start", () -> runtime.start(hooks.spec(lab)));
            }
            case RESTART -> hooks.timed("restart", () -> runtime.restart(hooks.spec(lab)));
            case STOP -> hooks.timed("stop", () -> runtime.stop(lab.id()));
            case DELETE -> {
                hooks.timed("delete", () -> runtime.delete(lab.id()));
                if (store.delete(lab.id(), epoch)) {
                    LOG.infof("Lab %s deleted", lab.id());
                }
            }
            case EXPIRE -> {
                if (store.expire(lab, clock.millis(), epoch)) {
                    hooks.expired(lab);
                }
            }
            case POWERED_OFF -> poweredOff(lab, d.reason(), epoch);
            case NONE, RESET, RESET_DONE -> { } // resets are carried out by LabLoop.reset
        }
    }

    /**
     * Records a guest's own shutdown as the user's stop (desired Stopped, version bumped), so the
     * loop halts what is left of the machine and never counts it against the crash budget.
     */
    // NOTE: the write is conditional on the desired version this turn read. A Start the user sent
    // after that read bumped it: nothing is written or audited, and the next turn, reading fresh,
    // sees the request (state Pending) and starts the machine.
    private void poweredOff(Lab lab, String reason, long epoch) {
        if (store.poweredOff(lab, reason, clock.millis(), epoch)) {
            LOG.infof("Lab %s: %s -> %s (%s)", lab.id(), lab.state().label(), LabState.STOPPED.label(), reason);
            hooks.poweredOff(lab, reason);
        }
    }
}
