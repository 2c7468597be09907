package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.labcontroller.runtime.Readiness;

/**
 * The two halves of a warm start around QEMU's launch: the lab's files from a saved state before,
 * and the wait for the state to load and the {@code cont} after.
 *
 * <p>The restored machine is ready at once: its state was saved the moment its console showed the
 * template's readiness pattern, so the new boot is marked ready before QEMU starts
 * ({@link BootFiles#mark}), and the saved end of its console output becomes the lab's console log,
 * so a viewer sees the prompt the guest printed before it was saved.
 */
final class WarmRestore {
    private static final Duration POLL = Duration.ofMillis(20);

    private WarmRestore() {
    }

    /**
     * Writes the lab's disk (a private copy of the saved overlay, whose backing file is the
     * template's disk, so the lab never depends on the cache entry, which may be evicted while the
     * lab lives), its readiness mark and its console history.
     */
    static void prepare(VmDirectory vm, WarmCache.Entry entry, Readiness readiness) throws IOException {
        if (entry.hasDisk()) {
            Path tmp = vm.overlay().resolveSibling("overlay.qcow2.tmp");
            Files.copy(entry.disk(), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, vm.overlay(), StandardCopyOption.ATOMIC_MOVE);
        }
        BootFiles.launching(vm, readiness);
        if (readiness.judgedBy(Readiness.CONSOLE)) {
            Files.copy(entry.console(), BootFiles.log(vm), StandardCopyOption.REPLACE_EXISTING);
            BootFiles.mark(vm, BootFiles.boot(vm));
        }
    }

    /**
     * Starts QEMU's load of the state from its standard input ({@link WarmRam#incoming}), waits
     * until it has loaded, then lets the machine run.
     *
     * @throws IOException when QEMU exits (it does when the state does not load) or takes too long
     */
    static void complete(QmpSessions qmp, VmDirectory vm, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        qmp.call(vm, Duration.ofSeconds(2), session -> {
            WarmRam.incoming(session);
            while (true) {
                String status = session.status();
                switch (status) {
                    case "running" -> {
                        return null;
                    }
                    case "inmigrate" -> {
                        if (System.nanoTime() > deadline) {
                            throw new IOException("the saved state did not load within " + ProcessRunner.words(timeout));
                        }
                        pause();
                    }
                    case "paused", "postmigrate", "prelaunch" -> {
                        session.execute("cont");
                        return null;
                    }
                    default -> throw new IOException("QEMU is in state " + status + " after loading the saved state");
                }
            }
        });
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(POLL.toMillis()); // QEMU reports no progress of an incoming load over QMP in 7.2 but its state
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while restoring", e);
        }
    }
}
