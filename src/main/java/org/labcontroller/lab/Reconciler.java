package org.labcontroller.lab;

import org.labcontroller.runtime.Leadership;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmStatus;
import org.labcontroller.runtime.LabRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The level-triggered loop that drives every lab's machine towards its desired state. Each pass
 * observes the runtime, reads all labs, decides per lab ({@link Decision}), records what it saw
 * and hands runtime actions to workers. It trusts no earlier action: a crashed controller, a
 * killed VM or a failed call is simply seen and acted on in a later pass.
 */
@ApplicationScoped
public class Reconciler {
    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    @Inject
    LabRepository labs;
    @Inject
    LabActions actions;
    @Inject
    LabRuntime runtime;
    @Inject
    LabConfig config;
    @Inject
    MeterRegistry registry;
    @Inject
    Leadership leadership;

    // NOTE: one scheduler thread runs passes, so passes never overlap; runtime actions run on
    // virtual threads, at most one per lab at a time (inFlight), and wake the loop when done.
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "reconcile"));
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Map<LabState, AtomicLong> byState = new EnumMap<>(LabState.class);
    private volatile boolean runtimeReachable = true;
    private Timer passTimer;

    void onStart(@Observes StartupEvent event) {
        for (LabState s : LabState.values()) {
            AtomicLong count = new AtomicLong();
            byState.put(s, count);
            registry.gauge("lab_labs", List.of(io.micrometer.core.instrument.Tag.of("state", s.label())), count);
        }
        passTimer = registry.timer("lab_reconcile_pass");
        loop.scheduleWithFixedDelay(this::safePass, 0, config.reconcileInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        loop.shutdownNow();
        workers.shutdown();
    }

    /** Asks for a pass soon, coalescing many requests into one. */
    public void wake() {
        if (wakePending.compareAndSet(false, true) && !loop.isShutdown()) {
            loop.execute(() -> {
                wakePending.set(false);
                safePass();
            });
        }
    }

    /** Whether the last pass could observe the runtime; feeds readiness. */
    public boolean runtimeReachable() {
        return runtimeReachable;
    }

    private void safePass() {
        try {
            passTimer.record(this::pass);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Reconcile pass failed; retrying in %s", config.reconcileInterval());
        }
    }

    private void pass() {
        if (!leadership.isLeader()) {
            return;
        }
        Map<String, VmStatus> observed;
        try {
            observed = new HashMap<>(runtime.observe());
            runtimeReachable = true;
        } catch (RuntimeFailure e) {
            runtimeReachable = false;
            LOG.warnf("Cannot observe the runtime: %s", e.getMessage());
            // Level-triggered too: every lab says why nothing moves; the next good pass clears it.
            String reason = "Its machine cannot be observed right now: " + e.getMessage();
            labs.all().stream().filter(lab -> lab.desired() != Desired.DELETED && !inFlight.contains(lab.id()))
                    .forEach(lab -> actions.record(lab, new Decision(Decision.Action.NONE, lab.state(), reason), Instant.now()));
            return;
        }
        Instant now = Instant.now();
        Map<LabState, Long> counts = new EnumMap<>(LabState.class);
        for (Lab lab : labs.all()) {
            VmStatus status = observed.remove(lab.id());
            Decision decision = Decision.decide(lab, status, now);
            counts.merge(decision.state(), 1L, Long::sum);
            if (inFlight.contains(lab.id())) {
                continue;
            }
            actions.record(lab, decision, now);
            if (decision.action() != Decision.Action.NONE) {
                submit(lab.id(), () -> actions.act(lab, decision));
            }
        }
        for (String orphan : observed.keySet()) {
            if (!inFlight.contains(orphan)) {
                LOG.infof("Deleting orphan VM of lab %s, which no longer exists", orphan);
                submit(orphan, () -> actions.deleteOrphan(orphan));
            }
        }
        byState.forEach((state, gauge) -> gauge.set(counts.getOrDefault(state, 0L)));
    }

    private void submit(String labId, Runnable action) {
        inFlight.add(labId);
        workers.execute(() -> {
            try {
                action.run();
            } finally {
                inFlight.remove(labId);
                wake();
            }
        });
    }
}
