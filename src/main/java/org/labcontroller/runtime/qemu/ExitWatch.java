package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Tells the reconcile loop when a lab's QEMU exits, so it looks at that lab at once instead of
 * waiting for its next resync. Every QEMU the runtime launched, or found running (one a previous
 * controller launched and this one adopted), is watched through {@link ProcessHandle#onExit()},
 * which works for processes that are not this JVM's children too.
 */
final class ExitWatch {
    private static final Logger LOG = Logger.getLogger(ExitWatch.class);

    // NOTE: pid -> lab id of every watched process that has not exited; putIfAbsent decides who
    // registers a pid, so a process seen by many observe() calls on many threads is watched once.
    // The entry goes when the process exits, so a pid the kernel reuses later is watched again.
    private final Map<Long, String> watched = new ConcurrentHashMap<>();
    // NOTE: pid -> a QEMU this JVM launched, added before its watch and removed by the watch's exit.
    private final Map<Long, Child> children = new ConcurrentHashMap<>();

    private record Child(Process process, Path pidFile) {
    }

    // NOTE: set by watch() on the caller's thread, read on the JDK's process-reaper threads.
    private volatile Consumer<String> listener;

    /** Sets the one listener; exits after this call reach it (earlier ones reached no one). */
    void listen(Consumer<String> changed) {
        this.listener = changed;
    }

    /**
     * Watches {@code process} of {@code labId} unless it is watched already. Never blocks.
     *
     * <p>NOTE: the JDK completes {@code onExit} on its own process-reaper thread (for a process that
     * is not our child, one that polls for the pid), and the listener runs there; the port
     * promises a listener that is cheap and never blocks, and one that throws is logged, so a
     * reaper thread is never held or lost by it.
     */
    void track(String labId, ProcessHandle process) {
        long pid = process.pid();
        if (watched.putIfAbsent(pid, labId) != null) {
            return;
        }
        process.onExit().whenComplete((ended, error) -> {
            removePidFileAfterCleanExit(pid, labId);
            exited(pid, labId);
        });
    }

    /**
     * Watches a QEMU this JVM launched (its child, whose exit code it sees). A clean exit (code 0:
     * the guest powered off) removes QEMU's pid file before the listener hears of the exit, as QEMU
     * itself does when it can: after its switch to an unprivileged user it may not reach the file.
     * A QEMU adopted from an earlier controller keeps relying on QEMU's own removal.
     *
     * <p>NOTE: an observer may have found the process (through its launch file) and watched it
     * before the launch that started it returns here; the child is therefore registered first, and
     * whichever watch fires removes its pid file before it notifies.
     */
    void track(String labId, Process process, Path pidFile) {
        children.put(process.pid(), new Child(process, pidFile));
        track(labId, process.toHandle());
    }

    private void removePidFileAfterCleanExit(long pid, String labId) {
        Child child = children.remove(pid);
        if (child == null) {
            return;
        }
        try {
            if (child.process().waitFor() == 0) { // exited already: this only collects its code
                Files.deleteIfExists(child.pidFile());
            }
        } catch (IOException e) {
            LOG.warnf("Could not remove the pid file of lab %s after a clean exit: %s", labId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a live process with this pid is being watched. */
    boolean watches(long pid) {
        return watched.containsKey(pid);
    }

    private void exited(long pid, String labId) {
        watched.remove(pid, labId);
        Consumer<String> changed = listener;
        if (changed == null) {
            return;
        }
        try {
            changed.accept(labId);
        } catch (RuntimeException e) {
            LOG.warnf(e, "The exit listener failed for lab %s", labId);
        }
    }
}
