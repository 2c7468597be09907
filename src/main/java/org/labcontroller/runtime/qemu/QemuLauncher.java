package org.labcontroller.runtime.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.RuntimeFailure;

/**
 * Starts QEMU processes that outlive the controller and waits until each one's monitor answers.
 * A process is started in its own session ({@code setsid}), with stdin from /dev/null and its
 * output in the lab's {@code stderr.log}, so stopping or crashing the controller leaves VMs running
 * for the next controller to adopt.
 *
 * <p>NOTE: a fair semaphore bounds how many VMs launch at once; a permit is held from process start
 * until QMP answers (or the launch fails), and waiting for one times out instead of queueing forever.
 */
final class QemuLauncher {
    private static final Logger LOG = Logger.getLogger(QemuLauncher.class);
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Semaphore booting;
    private final Duration launchTimeout;

    QemuLauncher(int maxBooting, Duration launchTimeout) {
        this.booting = new Semaphore(Math.max(1, maxBooting), true);
        this.launchTimeout = launchTimeout;
    }

    /** A unit of work that runs while holding a boot permit. */
    interface Boot<T> {
        T run() throws RuntimeFailure;
    }

    /** Runs {@code work} holding a boot permit (launches and accelerator probes both take one). */
    <T> T withPermit(String labId, Boot<T> work) throws RuntimeFailure {
        try {
            if (!booting.tryAcquire(launchTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new RuntimeFailure("Too many machines are starting at once; lab " + labId
                        + " got no turn to start within " + ProcessRunner.words(launchTimeout) + ".");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("Interrupted while waiting to start lab " + labId, e);
        }
        try {
            return work.run();
        } finally {
            booting.release();
        }
    }

    /**
     * Starts {@code argv} for {@code vm}, records the launch (with the restart {@code generation}),
     * and returns the process once QMP answers. A QEMU counts as launched only once it is recorded:
     * if anything after the process start fails, the process is killed before this method throws,
     * so no QEMU runs that nothing on disk points to.
     *
     * @throws RuntimeFailure when QEMU exits during the launch (with the end of its stderr), its
     *                        monitor does not answer in time, or the launch cannot be recorded
     */
    Process launch(VmDirectory vm, List<String> argv, boolean console, boolean vnc, int generation)
            throws RuntimeFailure {
        return launch(vm, argv, console, vnc, generation, null);
    }

    /** As above, with {@code stdin} (a saved machine state, see {@link WarmRestore}) as QEMU's standard input, or /dev/null. */
    Process launch(VmDirectory vm, List<String> argv, boolean console, boolean vnc, int generation, Path stdin)
            throws RuntimeFailure {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString()); // no fork: setsid() then exec, so the pid stays QEMU's
        }
        command.addAll(argv);
        try {
            // The intent first (pid -1): a controller killed right after the start leaves a record
            // that makes the next one look for QEMU's own pid file instead of launching again.
            vm.recordLaunch(-1, console, vnc, generation);
        } catch (IOException e) {
            throw new RuntimeFailure("Could not record the launch of lab " + vm.labId() + ": " + e.getMessage(), e);
        }
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(vm.dir().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(stdin != null ? stdin.toFile() : new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(vm.stderrLog().toFile()))
                    .start();
        } catch (IOException e) {
            throw new RuntimeFailure("Could not start QEMU for lab " + vm.labId() + ": " + e.getMessage(), e);
        }
        try {
            record(vm, process, console, vnc, generation);
            LOG.infof("Launched QEMU for lab %s (pid %d)", vm.labId(), process.pid());
            awaitMonitor(vm, process);
            return process;
        } catch (RuntimeFailure | RuntimeException | Error e) {
            kill(vm, process);
            throw e;
        }
    }

    private static void record(VmDirectory vm, Process process, boolean console, boolean vnc, int generation)
            throws RuntimeFailure {
        try {
            vm.recordLaunch(process.pid(), console, vnc, generation);
        } catch (IOException e) {
            throw new RuntimeFailure("Could not record the launch of lab " + vm.labId() + " (" + e.getMessage()
                    + "); its QEMU was stopped.", e);
        }
    }

    /** Kills a QEMU whose launch failed and waits for it, even when this thread was interrupted. */
    private static void kill(VmDirectory vm, Process process) {
        boolean interrupted = Thread.interrupted();
        try {
            if (!QemuProcess.kill(process.toHandle())) {
                LOG.errorf("QEMU of lab %s (pid %d) survived SIGKILL after a failed launch", vm.labId(), process.pid());
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitMonitor(VmDirectory vm, Process process) throws RuntimeFailure {
        long deadline = System.nanoTime() + launchTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (process.waitFor(50, TimeUnit.MILLISECONDS)) {
                    throw exited(vm, process.exitValue());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeFailure("Interrupted while starting lab " + vm.labId(), e);
            }
            if (Files.exists(vm.qmpSocket())) {
                try (QmpClient qmp = QmpClient.connect(vm.qmpSocket(), Duration.ofSeconds(2))) {
                    qmp.status();
                    return;
                } catch (IOException notYet) {
                    LOG.debugf("QMP of lab %s not ready: %s", vm.labId(), notYet.getMessage());
                }
            }
        }
        throw new RuntimeFailure("QEMU for lab " + vm.labId() + " did not answer within "
                + ProcessRunner.words(launchTimeout) + "; it was stopped. " + vm.stderrTail(5));
    }

    private static RuntimeFailure exited(VmDirectory vm, int code) {
        String tail = vm.stderrTail(5);
        return new RuntimeFailure("QEMU exited at launch (code " + code + ")"
                + (tail.isEmpty() ? "." : ": " + tail));
    }
}
