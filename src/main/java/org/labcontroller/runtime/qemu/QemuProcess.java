package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds and ends a lab's QEMU process from a pid on disk. A pid alone is not trusted: after a host
 * reboot or a crash it may belong to another program, so a process only counts as the lab's VM when
 * its command line carries the lab's {@code -name}.
 */
final class QemuProcess {
    private QemuProcess() {
    }

    /**
     * The live QEMU process of the lab: the recorded pid if it still runs that lab's VM, else the
     * pid QEMU wrote into its own pid file. The second covers a controller killed between starting
     * QEMU and recording its pid (the launch is recorded with pid -1 before the start): the next
     * controller finds that QEMU instead of launching a second one on the same disk.
     */
    static Optional<ProcessHandle> find(VmDirectory vm) {
        java.util.Properties launch = vm.launch(); // read once: observe() calls this for every lab
        if (launch == null) {
            return Optional.empty();
        }
        Optional<ProcessHandle> found = live(LaunchFile.pid(launch), vm);
        if (found.isPresent()) {
            return found;
        }
        return live(pidFromFile(vm.pidFile()), vm);
    }

    private static Optional<ProcessHandle> live(long pid, VmDirectory vm) {
        if (pid <= 0) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> runsLab(pid, vm.processName()));
    }

    private static long pidFromFile(Path file) {
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Whether {@code /proc/<pid>/cmdline} has {@code name} as a whole argument (a zombie has none). */
    static boolean runsLab(long pid, String name) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0")).contains(name);
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits up to {@code timeout} for the process to end; true when it has. */
    static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** SIGKILL, then waits briefly for the kernel to take the process down; true when it is gone. */
    static boolean kill(ProcessHandle process) {
        process.destroyForcibly();
        return awaitExit(process, Duration.ofSeconds(5));
    }
}
