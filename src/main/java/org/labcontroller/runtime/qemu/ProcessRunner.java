package org.labcontroller.runtime.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.RuntimeFailure;

/**
 * Runs a short helper command ({@code qemu-img}, {@code qemu-system --version}) to its end or to a
 * deadline. It exists because reading a helper's output from a pipe before waiting for it lets a
 * hung helper block the caller forever, and waiting before reading lets a chatty one block on a
 * full pipe. Here the output goes to a temporary file, so waiting is the only blocking step and it
 * has a timeout; a helper that does not finish in time is killed with every process it started.
 * The long-lived QEMU of a lab is started by {@link QemuLauncher} instead.
 */
final class ProcessRunner {
    private static final Logger LOG = Logger.getLogger(ProcessRunner.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private final Duration timeout;

    ProcessRunner(Duration timeout) {
        this.timeout = timeout;
    }

    /** How a helper ended: its exit code and everything it wrote to stdout and stderr, stripped. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * Runs {@code argv} with stdin from /dev/null and waits for it up to the timeout.
     *
     * @param what the step in words for messages, e.g. {@code "qemu-img info"}
     * @throws RuntimeFailure (transient) when the command cannot be started or does not finish in
     *                        time; it is killed then
     */
    Result run(String what, List<String> argv) throws RuntimeFailure {
        Path out;
        try {
            out = Files.createTempFile("lab-helper-", ".out");
        } catch (IOException e) {
            throw new RuntimeFailure("Could not run " + what + ": no temporary file (" + e.getMessage() + ").", e);
        }
        try {
            Process process = start(what, argv, out);
            awaitOrKill(what, process);
            return new Result(process.exitValue(),
                    new String(Files.readAllBytes(out), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new RuntimeFailure("Could not read the output of " + what + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(out);
            } catch (IOException e) {
                LOG.debugf("Could not delete %s: %s", out, e.getMessage());
            }
        }
    }

    private static Process start(String what, List<String> argv, Path out) throws RuntimeFailure {
        try {
            return new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()))
                    .start();
        } catch (IOException e) {
            throw new RuntimeFailure("Could not run " + what + ": " + e.getMessage(), e);
        }
    }

    private void awaitOrKill(String what, Process process) throws RuntimeFailure {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("Interrupted while waiting for " + what + "; it was stopped.", e);
        }
        killTree(process);
        throw new RuntimeFailure(what + " did not finish within " + words(timeout) + "; it was stopped.");
    }

    /** SIGKILL to the process and its descendants (listed first: once it dies they are re-parented). */
    static void killTree(Process process) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        QemuProcess.awaitExit(process.toHandle(), KILL_WAIT);
        tree.forEach(child -> QemuProcess.awaitExit(child, KILL_WAIT));
    }

    static String words(Duration duration) {
        return duration.toMillis() < 1000 || duration.toMillisPart() != 0
                ? duration.toMillis() + " ms" : duration.toSeconds() + " s";
    }
}
