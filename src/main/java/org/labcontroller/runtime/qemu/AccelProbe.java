package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.VmSpec;

/**
 * Decides between KVM and TCG for {@code lab.qemu.accel=auto}. {@code /dev/kvm} existing proves
 * nothing (nested or broken KVM can start a guest that never runs), so the probe boots the image
 * under KVM with its serial console on a pipe and takes KVM only when a shell or login prompt shows
 * up in time. The verdict is cached per image for the life of the runtime.
 */
final class AccelProbe {
    private static final Logger LOG = Logger.getLogger(AccelProbe.class);
    /** A shell prompt ("# ", "$ ") or a login prompt. */
    static final Pattern PROMPT = Pattern.compile("(?m)(login: |[#$] )");

    private final String binary;
    private final Duration timeout;
    // NOTE: concurrent starts of the same image may both probe once; harmless, the cache settles it.
    private final Map<ImageFiles.Resolved, String> verdicts = new ConcurrentHashMap<>();

    AccelProbe(String binary, Duration timeout) {
        this.binary = binary;
        this.timeout = timeout;
    }

    /** {@code kvm} when a probe boot of the image reaches a prompt under KVM, {@code tcg} otherwise. */
    String choose(VmSpec spec, ImageFiles.Resolved image, Confinement confinement) {
        String cached = verdicts.get(image);
        if (cached != null) {
            return cached;
        }
        String verdict = Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm"))
                && bootsUnderKvm(spec, image, confinement) ? "kvm" : "tcg";
        LOG.infof("Accelerator for image %s: %s", image.kernel() != null ? image.kernel() : image.disk(), verdict);
        verdicts.put(image, verdict);
        return verdict;
    }

    private boolean bootsUnderKvm(VmSpec spec, ImageFiles.Resolved image, Confinement confinement) {
        Process process;
        try {
            process = new ProcessBuilder(QemuCommand.forProbe(binary, "kvm", spec, image, confinement))
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            LOG.warnf("KVM probe could not start QEMU: %s", e.getMessage());
            return false;
        }
        StringBuilder seen = new StringBuilder();
        // NOTE: a virtual thread owns the process's stdout and appends to `seen` under its lock; this
        // thread only reads `seen` under the same lock and ends the process, which ends the reader.
        Thread reader = Thread.ofVirtual().name("kvm-probe-reader").start(() -> pump(process.getInputStream(), seen));
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline && process.isAlive()) {
                synchronized (seen) {
                    if (PROMPT.matcher(seen).find()) {
                        return true;
                    }
                    seen.wait(200);
                }
            }
            synchronized (seen) {
                boolean prompt = PROMPT.matcher(seen).find();
                if (!prompt) {
                    LOG.infof("KVM probe saw no prompt within %s; output: %s", timeout, tail(seen));
                }
                return prompt;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            process.destroyForcibly();
            QemuProcess.awaitExit(process.toHandle(), Duration.ofSeconds(5));
            reader.interrupt();
        }
    }

    private static void pump(InputStream in, StringBuilder seen) {
        byte[] buf = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (seen) {
                    seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    seen.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    private static String tail(StringBuilder s) {
        String text = s.toString().replaceAll("\\p{Cntrl}+", " ").strip();
        return text.length() > 300 ? "..." + text.substring(text.length() - 300) : text;
    }
}
