package org.labcontroller.lab;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.runtime.Leadership;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmStatus;

/**
 * Runs the reconcile loop: a keyed work queue ({@link WorkQueue}) of lab ids fed by events (API
 * requests, the runtime's own events) and by a slow resync, drained by a few workers that each
 * take one lab at a time through {@link LabLoop}. Only the leader works, and every write carries
 * the epoch it claimed from the {@link Fence} when it took over.
 */
@ApplicationScoped
public class Reconciler {
    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    @Inject
    LabRepository labs;
    @Inject
    LoopSupport support;
    @Inject
    LabRuntime runtime;
    @Inject
    LabConfig config;
    @Inject
    MeterRegistry registry;
    @Inject
    Leadership leadership;
    @Inject
    Fence fence;
    @Inject
    Clock clock;
    @Inject
    WarmPools warmPools;

    // NOTE: one scheduler thread runs resyncs (so they never overlap) and leadership changes;
    // workers are virtual threads that block in the queue; `epoch` is -1 while not leading.
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "reconcile-resync"));
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<LabState, AtomicLong> byState = new EnumMap<>(LabState.class);
    private volatile long epoch = -1;
    private WorkQueue queue;
    private LabLoop loop;
    private Timer resyncTimer;

    void onStart(@Observes StartupEvent event) {
        for (LabState s : LabState.values()) {
            AtomicLong count = new AtomicLong();
            byState.put(s, count);
            registry.gauge("lab_labs", List.of(Tag.of("state", s.label())), count);
        }
        resyncTimer = registry.timer("lab_reconcile_pass");
        queue = new WorkQueue(clock);
        registry.gauge("lab_reconcile_queue", queue, WorkQueue::size);
        registry.gauge("lab_runtime_reachable", this, r -> r.runtimeReachable() ? 1 : 0);
        Backoff backoff = new Backoff(config.retryInitial(), config.retryMax(), 0.2, ThreadLocalRandom.current());
        loop = new LabLoop(labs, runtime, support, clock, backoff, config.pollInterval(),
                new CrashBudget(config.crashRestarts(), config.crashWindow(), clock));
        runtime.watch(this::enqueue);
        leadership.onChange(() -> timer.execute(this::safeResync));
        for (int i = 0; i < Math.max(1, config.workers()); i++) {
            workers.execute(this::work);
        }
        timer.scheduleWithFixedDelay(this::safeResync, 0, config.resyncInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (queue != null) {
            queue.shutDown();
        }
        timer.shutdownNow();
        workers.shutdownNow();
        try {
            // NOTE: a worker may be inside a runtime call; let it finish before the datasource closes.
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the loop to look at one lab soon (an API request or an event changed it). */
    public void enqueue(String labId) {
        if (queue != null) {
            queue.add(labId);
        }
    }

    /** Whether the runtime could be observed the last time the loop asked, and can take work now. */
    public boolean runtimeReachable() {
        return (loop == null || loop.reachable()) && runtime.ready();
    }

    /** Forgets the claimed epoch and claims a new one, as a change of leadership does (tests fence this app). */
    public void retakeLeadershipForTests() throws Exception {
        timer.submit(() -> {
            epoch = -1;
            resync();
        }).get();
    }

    private void work() {
        try {
            Optional<String> key;
            while ((key = queue.take()).isPresent()) {
                String labId = key.get();
                try {
                    long held = epoch;
                    if (held >= 0 && leadership.isLeader()) {
                        loop.reconcile(labId, held).ifPresent(delay -> queue.addAfter(labId, delay));
                    }
                } finally {
                    queue.done(labId);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void safeResync() {
        try {
            resyncTimer.record(this::resync);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Resync failed; trying again in %s", config.resyncInterval());
        }
    }

    /** The backstop: every lab whose decision is not steady, and every orphan, goes into the queue. */
    private void resync() {
        if (!leadership.isLeader()) {
            if (epoch >= 0) {
                LOG.info("Lost leadership: the loop stops");
                epoch = -1;
                queue.clear();
            }
            return;
        }
        if (epoch < 0) {
            epoch = fence.claim();
            LOG.infof("Leading the reconcile loop with epoch %d", epoch);
        }
        Map<String, VmStatus> observed;
        try {
            observed = new HashMap<>(runtime.observe());
            loop.setReachable(true);
        } catch (RuntimeFailure e) {
            loop.setReachable(false);
            LOG.warnf("Cannot observe the runtime: %s", e.getMessage());
            String reason = LabLoop.UNOBSERVABLE + e.getMessage();
            labs.all().stream().filter(lab -> lab.desired() != Desired.DELETED)
                    .forEach(lab -> loop.record(lab, lab.state(), reason, lab.restartObserved(), epoch));
            return;
        }
        Map<LabState, Long> counts = new EnumMap<>(LabState.class);
        for (Lab lab : labs.all()) {
            VmStatus vm = observed.remove(lab.id());
            Decision d = Decision.decide(lab, vm, clock.instant());
            counts.merge(d.state(), 1L, Long::sum);
            boolean steady = d.action() == Decision.Action.NONE && d.state() == lab.state()
                    && Objects.equals(d.reason(), lab.stateReason());
            if (!steady) {
                queue.offer(lab.id());
            }
        }
        observed.keySet().forEach(queue::offer);
        warmPools.refresh();
        byState.forEach((state, gauge) -> gauge.set(counts.getOrDefault(state, 0L)));
    }
}
