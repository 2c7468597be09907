package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.labcontroller.runtime.Readiness;
import org.labcontroller.runtime.VmImage;

/**
 * A QEMU runtime with warm start on, for the warm-start tests: real QEMU and the demo image, a
 * warm cache of its own, a clock the test moves, and warm-ups on a queue the test drains itself, so
 * which warm-up runs when is certain. Every VM and the cache are removed after each test.
 */
abstract class WarmRuntimeFixture {
    static final Duration BOOT = Duration.ofSeconds(90);
    static final Readiness PROMPT = new Readiness(Readiness.CONSOLE, QemuRuntime.DEMO_PROMPT, 300);
    static final VmImage KERNEL = new VmImage("vmlinuz", "initrd.img", null, QemuFixture.KERNEL_CMDLINE + " no_timer_check", null);
    static final VmImage DISK = new VmImage("vmlinuz", "initrd.img", "disk.img", QemuFixture.KERNEL_CMDLINE + " no_timer_check", null);

    /** An executor that only queues: the test runs each warm-up when it chooses. */
    static final class Queued implements Executor {
        final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            for (Runnable r; (r = tasks.poll()) != null; ) {
                r.run();
            }
        }
    }

    /** The fixture's configuration with warm start on. */
    record WarmOn(QemuFixture.Config base, Path dir) implements QemuConfig {
        public String binary() { return base.binary(); }
        public Accel accel() { return base.accel(); }
        public int maxBooting() { return base.maxBooting(); }
        public String stateDir() { return base.stateDir(); }
        public String imageDir() { return base.imageDir(); }
        public Duration stopTimeout() { return base.stopTimeout(); }
        public String user() { return base.user(); }
        public boolean removeVmsAtShutdown() { return false; }
        public Warm warm() { return new QemuFixture.WarmSettings(true, dir.toString(), 2L << 30); }
    }

    QemuFixture fixture;
    QemuRuntime runtime;
    Queued warmUps = new Queued();
    WarmCacheTest.Moving clock = new WarmCacheTest.Moving();
    Path warmDir;

    @BeforeEach
    void newRuntime() throws IOException {
        fixture = new QemuFixture();
        warmDir = fixture.stateDir.resolveSibling(fixture.prefix + "-warm");
        runtime = new QemuRuntime(new WarmOn(fixture.config(), warmDir), Duration.ofSeconds(30), Duration.ofSeconds(30),
                clock, warmUps);
    }

    @AfterEach
    void removeVms() throws Exception {
        fixture.cleanUp(runtime);
        WarmCache.deleteTree(warmDir);
    }
}
