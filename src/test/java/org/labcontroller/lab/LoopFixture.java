package org.labcontroller.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;

/**
 * The reconcile loop on a test bench, shared by the loop's tests: an in-memory store, a runtime
 * that injects faults, the real work queue and loop, and a clock that moves only when the test
 * says so, so every retry and timeout happens exactly where a test puts it.
 */
abstract class LoopFixture {
    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    static final long EPOCH = 1;

    final MutableClock clock = new MutableClock(T0);
    final MemoryLabStore store = new MemoryLabStore();
    final FaultyRuntime runtime = new FaultyRuntime();
    final WorkQueue queue = new WorkQueue(clock);
    final RecordingHooks hooks = new RecordingHooks();
    final LabLoop loop = new LabLoop(store, runtime, hooks, clock,
            new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), 0.2, new Random(42)), Duration.ofSeconds(1),
            new CrashBudget(2, Duration.ofMinutes(10), clock));

    /** Works the queue as the workers do, moving the clock in 100 ms steps, for {@code horizon}. */
    void run(Duration horizon) {
        Instant end = clock.instant().plus(horizon);
        while (clock.instant().isBefore(end)) {
            Optional<String> key = queue.poll();
            if (key.isEmpty()) {
                clock.advance(Duration.ofMillis(100));
                continue;
            }
            loop.reconcile(key.get(), EPOCH).ifPresent(d -> queue.addAfter(key.get(), d));
            queue.done(key.get());
        }
    }
}
