package org.labcontroller.lab;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.labcontroller.lab.Decision.Action;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmStatus;
import org.labcontroller.runtime.VmStatus.Phase;
import org.labcontroller.storage.DataAccessException;

/**
 * One turn of the reconcile loop for one lab, and what it means for the next turn. A turn reads
 * the lab and the runtime's view of its machine fresh, decides ({@link Decision}), records what it
 * saw and makes at most one runtime call; the result says when to look again: never (steady, until
 * an event), after the poll interval (the machine is on its way), at once (an action succeeded),
 * or after a growing backoff (a transient failure, or the same action again without progress). A
 * permanent failure shows its reason and waits for the user. Nothing here blocks on other labs.
 */
final class LabLoop {
    private static final Logger LOG = Logger.getLogger(LabLoop.class);
    static final String UNOBSERVABLE = "Its machine cannot be observed right now: ";

    private final LabStore store;
    private final LabRuntime runtime;
    private final LoopHooks hooks;
    private final Clock clock;
    private final Backoff backoff;
    private final Duration poll;
    private final CrashBudget crashes;
    private final LabRecorder recorder;
    private final LabActions actions;
    // NOTE: written by the worker that holds the lab's key (one at a time per key, by the queue).
    private final Map<String, Action> lastAction = new ConcurrentHashMap<>();
    private volatile boolean reachable = true;

    LabLoop(LabStore store, LabRuntime runtime, LoopHooks hooks, Clock clock, Backoff backoff, Duration poll, CrashBudget crashes) {
        this.store = store;
        this.runtime = runtime;
        this.hooks = hooks;
        this.clock = clock;
        this.backoff = backoff;
        this.poll = poll;
        this.crashes = crashes;
        this.recorder = new LabRecorder(store, clock);
        this.actions = new LabActions(store, runtime, hooks, clock);
    }

    /** Whether the last observation of the runtime succeeded. */
    boolean reachable() {
        return reachable;
    }

    void setReachable(boolean value) {
        reachable = value;
    }

    /**
     * Reconciles {@code labId} as the leader of {@code epoch}: the delay before it should be looked
     * at again, or empty when it is steady. Never throws.
     */
    Optional<Duration> reconcile(String labId, long epoch) {
        try {
            return turn(labId, epoch);
        } catch (RuntimeException e) {
            hooks.unexpected(labId, e);
            return Optional.of(backoff.next(labId));
        }
    }

    private Optional<Duration> turn(String labId, long epoch) {
        Optional<Lab> found = store.find(labId);
        VmStatus vm;
        try {
            vm = runtime.observe(labId);
            reachable = true;
        } catch (RuntimeFailure e) {
            reachable = false;
            found.ifPresent(lab -> record(lab, lab.state(), UNOBSERVABLE + e.getMessage(), lab.restartObserved(), epoch));
            return Optional.of(backoff.next(labId));
        }
        if (found.isEmpty()) {
            return vm == null ? steady(labId) : act(labId, Action.DELETE, null, epoch, () -> {
                LOG.infof("Deleting orphan VM of lab %s, which no longer exists", labId);
                hooks.timed("delete", () -> runtime.delete(labId));
            });
        }
        Lab lab = found.get();
        Optional<Integer> pendingReset = store.pendingReset(labId);
        Optional<Decision> resetting = ResetDecision.decide(lab, pendingReset, vm, clock.instant());
        if (resetting.isPresent()) {
            return reset(lab, resetting.get(), pendingReset.get(), epoch);
        }
        Decision d = Decision.decide(lab, vm, clock.instant());
        int observedRestart = vm == null ? lab.restartObserved() : Math.max(lab.restartObserved(), vm.restartGeneration());
        if ((d.action() == Action.NONE || d.action() == Action.STOP) && d.state() == LabState.FAILED && vm != null
                && vm.phase() != Phase.STOPPED && lab.desired() == Desired.RUNNING) {
            int attempt = crashes.take(lab);
            if (attempt > 0) {
                return recover(lab, vm.phase() == Phase.FAILED ? Reasons.crashed(vm.reason(), attempt, crashes.limit())
                        : Reasons.again(d.reason(), attempt, crashes.limit()), epoch);
            }
        }
        if (d.action() == Action.NONE) {
            record(lab, d.state(), d.reason(), observedRestart, epoch);
            return LabRecorder.transitional(d.state()) ? Optional.of(poll) : steady(labId);
        }
        if (d.state() != lab.state() && d.action() != Action.POWERED_OFF) { // that one writes its state with the desired one
            record(lab, d.state(), d.reason(), observedRestart, epoch);
        }
        return act(labId, d.action(), lab, epoch, () -> actions.perform(lab, d, vm, epoch));
    }

    /** The machine died unasked or never became ready: halt what is left of it and start it again, within the budget. */
    private Optional<Duration> recover(Lab lab, String reason, long epoch) {
        LOG.warnf("Lab %s: %s", lab.id(), reason);
        hooks.recovering(lab, reason);
        record(lab, LabState.STARTING, reason, lab.restartObserved(), epoch);
        return act(lab.id(), Action.START, lab, epoch, () -> {
            hooks.timed("stop", () -> runtime.stop(lab.id()));
            hooks.timed("start", () -> runtime.start(hooks.spec(lab)));
        });
    }

    /**
     * A reset to the template: removes the machine with its disk, or, once the runtime holds none,
     * records the generation read as carried out; the next turn starts a fresh machine if wanted.
     */
    // NOTE: RESET_DONE writes the generation this turn read, not the newest: a reset asked for after
    // that read stays pending and removes the machine started meanwhile again.
    private Optional<Duration> reset(Lab lab, Decision d, int generation, long epoch) {
        record(lab, d.state(), d.reason(), lab.restartObserved(), epoch);
        if (d.action() == Action.RESET) {
            return act(lab.id(), Action.RESET, lab, epoch, () -> {
                LOG.infof("Lab %s: removing its machine and disk for a reset to its template", lab.id());
                hooks.timed("delete", () -> runtime.delete(lab.id()));
            });
        }
        return act(lab.id(), Action.RESET_DONE, lab, epoch, () -> {
            if (store.resetApplied(lab.id(), generation, epoch)) {
                LOG.infof("Lab %s: reset %d to its template done", lab.id(), generation);
            }
        });
    }

    private Optional<Duration> act(String labId, Action action, Lab lab, long epoch, LoopHooks.Call call) {
        try {
            if (lab != null && (action == Action.START || action == Action.RESTART)) {
                recorder.booting(lab, epoch);
            }
            call.run();
        } catch (RuntimeFailure f) {
            lastAction.remove(labId);
            if (f.permanent()) {
                backoff.forget(labId);
                LOG.warnf("Lab %s: %s failed for good: %s", labId, action, f.getMessage());
                if (lab != null) {
                    record(lab, LabState.FAILED, f.getMessage(), lab.restartObserved(), epoch);
                }
                return Optional.empty();
            }
            Duration wait = backoff.next(labId);
            hooks.retrying(labId);
            LOG.warnf("Lab %s: %s failed (attempt %d, next in %s): %s", labId, action, backoff.attempts(labId), wait, f.getMessage());
            if (lab != null) {
                record(lab, Reasons.shownWhileRetrying(action, lab), Reasons.describe(action) + " failed: " + f.getMessage()
                        + " Trying again in " + Reasons.seconds(wait) + ".", lab.restartObserved(), epoch);
            }
            return Optional.of(wait);
        } catch (DataAccessException e) {
            throw e; // the database, not the runtime: retried with backoff by reconcile()
        } catch (RuntimeException e) {
            lastAction.remove(labId);
            backoff.forget(labId);
            hooks.unexpected(labId, e);
            if (lab != null) {
                record(lab, LabState.FAILED, "An internal error stopped the controller from " + Reasons.verb(action)
                        + " this lab; the controller's log has the details. Ask for it again to retry.", lab.restartObserved(), epoch);
            }
            return Optional.empty();
        }
        if (lab != null && (action == Action.START || action == Action.RESTART) && lab.restartGeneration() != lab.restartObserved()) {
            record(lab, LabState.STARTING, lab.stateReason(), lab.restartGeneration(), epoch);
        }
        // An action that worked is looked at again at once; the same one again without progress backs off.
        if (action == lastAction.put(labId, action)) {
            return Optional.of(backoff.next(labId));
        }
        backoff.forget(labId);
        return Optional.of(Duration.ZERO);
    }

    private Optional<Duration> steady(String labId) {
        lastAction.remove(labId);
        backoff.forget(labId);
        return Optional.empty();
    }

    /** Writes the state and reason if they differ from what is stored. */
    void record(Lab lab, LabState state, String reason, int restartObserved, long epoch) {
        recorder.record(lab, state, reason, restartObserved, epoch);
    }
}
