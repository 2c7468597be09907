package org.labcontroller.lab;

import java.time.Clock;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The reconcile loop's writes of what it observed: a lab's state and reason only when they
 * changed, when it became ready ({@code startedAt}), and when it started a machine (the readiness
 * deadline counts from that). Kept apart from {@link LabLoop} so the loop holds only its decisions.
 */
final class LabRecorder {
    private static final Logger LOG = Logger.getLogger(LabLoop.class);

    private final LabStore store;
    private final Clock clock;

    LabRecorder(LabStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Writes the state and reason if they differ from what is stored. */
    void record(Lab lab, LabState state, String reason, int restartObserved, long epoch) {
        if (state == lab.state() && Objects.equals(reason, lab.stateReason()) && restartObserved == lab.restartObserved()) {
            return;
        }
        Long startedAt = lab.startedAt() == null ? null : lab.startedAt().toEpochMilli();
        if (state == LabState.RUNNING && lab.state() != LabState.RUNNING) {
            startedAt = clock.millis();
        }
        if (store.observe(lab, state, reason, startedAt, restartObserved, clock.millis(), epoch) && state != lab.state()) {
            LOG.infof("Lab %s: %s -> %s%s", lab.id(), lab.state().label(), state.label(), reason == null ? "" : " (" + reason + ")");
        }
    }

    /** Records that the lab's machine is started or restarted now. */
    void booting(Lab lab, long epoch) {
        store.booting(lab, clock.millis(), epoch);
    }

    static boolean transitional(LabState state) {
        return state == LabState.STARTING || state == LabState.STOPPING || state == LabState.DELETING || state == LabState.PENDING;
    }
}
