package org.labcontroller.runtime.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Whether the configured QEMU binary runs, for readiness. A working binary is remembered for good;
 * a failing one is tried again at most every 30 seconds, so readiness probes stay cheap.
 */
final class QemuVersion {
    private static final Logger LOG = Logger.getLogger(QemuVersion.class);
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final String binary;
    // NOTE: guarded by `this`; readiness probes may call concurrently, one of them runs QEMU.
    private String version;
    private long lastFailure;
    private boolean failedOnce;

    QemuVersion(String binary) {
        this.binary = binary;
    }

    synchronized boolean works() {
        if (version != null) {
            return true;
        }
        if (failedOnce && System.nanoTime() - lastFailure < RETRY_NANOS) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                version = out.lines().findFirst().orElse(out);
                LOG.infof("QEMU runtime uses %s", version);
                return true;
            }
            p.destroyForcibly();
            LOG.warnf("%s --version failed: %s", binary, out);
        } catch (IOException e) {
            LOG.warnf("Cannot run %s: %s", binary, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failedOnce = true;
        lastFailure = System.nanoTime();
        return false;
    }
}
