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
                throw new RuntimeFailure("Too many machines are starting at once; lab " + labId + " will be retried.");
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
     * Starts {@code argv} for {@code vm}, records the launch, and returns once QMP answers.
     *
     * @throws RuntimeFailure when QEMU exits during the launch (with the end of its stderr) or its
     *                        monitor does not answer in time (the process is killed then)
     */
    void launch(VmDirectory vm, List<String> argv, boolean console, boolean vnc) throws RuntimeFailure {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString()); // no fork: setsid() then exec, so the pid stays QEMU's
        }
        command.addAll(argv);
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(vm.dir().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(vm.stderrLog().toFile()))
                    .start();
            vm.recordLaunch(process.pid(), console, vnc);
        } catch (IOException e) {
            throw new RuntimeFailure("Could not start QEMU for lab " + vm.labId() + ": " + e.getMessage(), e);
        }
        LOG.infof("Launched QEMU for lab %s (pid %d)", vm.labId(), process.pid());
        awaitMonitor(vm, process);
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
        process.destroyForcibly();
        throw new RuntimeFailure("QEMU for lab " + vm.labId() + " did not answer within "
                + launchTimeout.toSeconds() + " s; it was stopped. " + vm.stderrTail(5));
    }

    private static RuntimeFailure exited(VmDirectory vm, int code) {
        String tail = vm.stderrTail(5);
        return new RuntimeFailure("QEMU exited at launch (code " + code + ")"
                + (tail.isEmpty() ? "." : ": " + tail));
    }
}
