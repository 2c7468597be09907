package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Opens the warm-state cache when the runtime starts: removes what a crashed controller left (a
 * half-written entry, a warm-up machine still running) and gives the executor warm-ups run on.
 */
final class WarmSetup {
    private static final Logger LOG = Logger.getLogger(WarmSetup.class);

    private WarmSetup() {
    }

    /** The cache of {@code config}, cleared of leftovers. */
    static WarmCache open(QemuConfig config, Clock clock) {
        WarmCache cache = new WarmCache(Path.of(config.warm().dir()), config.warm().maxSize().asLongValue(), clock);
        try {
            cache.clearLeftovers();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Could not clear leftovers of the warm-state cache %s: %s", cache.root(), e.getMessage());
        }
        stopWarmUps(cache);
        return cache;
    }

    /**
     * Kills the warm-up machines of {@code cache} and removes their files: at start-up, those a
     * crashed controller left (nobody will save them any more); at a shutdown that removes every VM,
     * the running one.
     */
    static void stopWarmUps(WarmCache cache) {
        try {
            for (VmDirectory vm : VmDirectory.all(cache.root().resolve(".work"))) {
                Optional<ProcessHandle> orphan = QemuProcess.find(vm);
                orphan.ifPresent(QemuProcess::kill);
                vm.deleteAll();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Could not stop the warm-up machines of %s: %s", cache.root(), e.getMessage());
        }
    }

    /**
     * One warm-up at a time, on a thread that ends when idle: a warm-up is a boot, and a class's
     * first starts are already booting cold; queued warm-ups wait their turn.
     */
    static Executor background() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), Thread.ofPlatform().daemon().name("qemu-warm-up").factory());
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
