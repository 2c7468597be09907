package org.labcontroller.lab;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus.Phase;

/**
 * bench/loop: runtime calls per lab per minute while every call fails, in real time with the
 * loop's real queue and workers, for the controller's backoff and, in the same run, client-go's
 * default per-item limiter (5 ms doubling to 1000 s) as the peer. Not a test.
 */
public final class LoopBench {
    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.OFF);
        int labs = Integer.parseInt(args.length > 0 ? args[0] : "10");
        Duration window = Duration.ofSeconds(Long.parseLong(args.length > 1 ? args[1] : "60"));
        System.out.printf(Locale.ROOT, "%d labs whose stop fails on every call, %d s each:%n", labs, window.toSeconds());
        run("lab controller (1 s doubling to 5 min, 20 % jitter)", new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), 0.2, new Random()), labs, window);
        run("client-go default (5 ms doubling to 1000 s)", new Backoff(Duration.ofMillis(5), Duration.ofSeconds(1000), 0, new Random()), labs, window);
    }

    private static void run(String name, Backoff backoff, int labs, Duration window) throws Exception {
        Clock clock = Clock.systemUTC();
        MemoryLabStore store = new MemoryLabStore();
        FaultyRuntime runtime = new FaultyRuntime();
        runtime.fail("stop", 50_000_000, () -> new RuntimeFailure("API outage"));
        WorkQueue queue = new WorkQueue(clock);
        LabLoop loop = new LabLoop(store, runtime, new RecordingHooks(), clock, backoff, Duration.ofSeconds(1), new CrashBudget(3, Duration.ofMinutes(10), clock));
        for (int i = 0; i < labs; i++) {
            String id = "lab-" + i;
            runtime.machines.put(id, Phase.RUNNING);
            store.add(id, Desired.STOPPED, LabState.STOPPING, Instant.now());
            queue.add(id);
        }
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        for (int w = 0; w < 8; w++) {
            workers.execute(() -> {
                try {
                    Optional<String> key;
                    while ((key = queue.take()).isPresent()) {
                        String id = key.get();
                        loop.reconcile(id, 1).ifPresent(d -> queue.addAfter(id, d));
                        queue.done(id);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        Thread.sleep(window.toMillis());
        int calls = runtime.calls("stop");
        queue.shutDown();
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
        double perLabPerMinute = calls / (double) labs * 60.0 / window.toSeconds();
        System.out.printf(Locale.ROOT, "  %-50s %9d calls, %10.1f per lab per minute%n", name, calls, perLabPerMinute);
    }
}
