package org.labcontroller.runtime.qemu;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.RuntimeFailure;

/**
 * Whether the configured QEMU binary runs, for readiness. A working binary is remembered for good;
 * a failing one is tried again at most every 30 seconds, so readiness probes stay cheap. Its
 * version number picks options that differ between QEMU releases.
 */
final class QemuVersion {
    private static final Logger LOG = Logger.getLogger(QemuVersion.class);
    private static final Pattern NUMBER = Pattern.compile("version (\\d+)\\.(\\d+)");
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final String binary;
    private final ProcessRunner runner;
    // NOTE: guarded by `this`; readiness probes may call concurrently, one of them runs QEMU.
    private String version;
    private long lastFailure;
    private boolean failedOnce;

    QemuVersion(String binary) {
        this(binary, Duration.ofSeconds(10));
    }

    QemuVersion(String binary, Duration timeout) {
        this.binary = binary;
        this.runner = new ProcessRunner(timeout);
    }

    /**
     * Whether the binary is QEMU {@code major.minor} or newer; false when its version is unknown.
     * Options that changed between QEMU releases ({@code -runas} became {@code -run-with user=}) ask this.
     */
    synchronized boolean atLeast(int major, int minor) {
        if (!works()) {
            return false;
        }
        Matcher m = NUMBER.matcher(version);
        if (!m.find()) {
            return false;
        }
        int maj = Integer.parseInt(m.group(1));
        return maj > major || (maj == major && Integer.parseInt(m.group(2)) >= minor);
    }

    /** The binary's version line ({@code QEMU emulator version 7.2.22 ...}); null while it does not work. */
    synchronized String text() {
        return works() ? version : null;
    }

    synchronized boolean works() {
        if (version != null) {
            return true;
        }
        if (failedOnce && System.nanoTime() - lastFailure < RETRY_NANOS) {
            return false;
        }
        try {
            ProcessRunner.Result result = runner.run(binary + " --version", List.of(binary, "--version"));
            if (result.ok()) {
                version = result.output().lines().findFirst().orElse(result.output());
                LOG.infof("QEMU runtime uses %s", version);
                return true;
            }
            LOG.warnf("%s --version failed: %s", binary, result.output());
        } catch (RuntimeFailure e) {
            LOG.warnf("Cannot run %s: %s", binary, e.getMessage());
        }
        failedOnce = true;
        lastFailure = System.nanoTime();
        return false;
    }
}
