package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmNetwork;
import org.labcontroller.runtime.VmSpec;

/**
 * The dedicated warm-up boot of a template: a machine of the template's exact shape, started in
 * the background under {@code <warm dir>/.work/}, that nobody sees or types into, is paused the
 * moment its console shows the template's readiness pattern and saved ({@link WarmSave}) with a
 * copy of its disk overlay into the {@link WarmCache}. Its RAM is the entry's RAM file from the
 * start ({@link WarmRam}), so the save writes only the device state.
 *
 * <p>Why not save the first lab's own machine: by the time it is saved its student may have typed
 * into it, and whatever they typed (a command, a password) would then be restored into every other
 * student's lab. A warm-up machine holds only what the template's own boot printed. It costs one
 * extra boot per template and key, which the lab that triggered it does not wait for.
 *
 * <p>The warm-up machine has no network card, only the free port a restored lab's own card is
 * plugged into ({@link LabIdentity}): a card saved with the state would give every restored lab
 * the warm-up's MAC. An internet template's warm-up is treated as isolated, so it needs no
 * namespace.
 */
final class WarmUp {
    private static final Logger LOG = Logger.getLogger(WarmUp.class);
    private static final int CONSOLE_TAIL = 16 * 1024;

    private final String binary;
    private final QemuLauncher launcher;
    private final QmpSessions qmp;
    private final DiskOverlay disks;
    private final WarmCache cache;
    private final Duration saveTimeout;

    WarmUp(String binary, QemuLauncher launcher, QmpSessions qmp, DiskOverlay disks, WarmCache cache, Duration saveTimeout) {
        this.binary = binary;
        this.launcher = launcher;
        this.qmp = qmp;
        this.disks = disks;
        this.cache = cache;
        this.saveTimeout = saveTimeout;
    }

    /** Boots, waits for readiness, saves; returns the new entry (null when another save of the key won). */
    WarmCache.Entry run(WarmStart.Target t) throws IOException, RuntimeFailure {
        VmDirectory work = VmDirectory.of(cache.root().resolve(".work"), "w" + t.key());
        work.deleteAll();
        work.create();
        Path tmp = cache.newTemp(); // the entry being written: the machine's RAM is its file from the start
        Process process = null;
        try {
            Path overlay = null;
            if (t.image().disk() != null) {
                overlay = work.overlay();
                disks.ensure(t.image().disk(), overlay);
            }
            BootFiles.launching(work, t.spec().readiness());
            VmSpec spec = t.spec().withLabId(work.labId())
                    .withNetwork(t.spec().network() == VmNetwork.INTERNET ? VmNetwork.ISOLATED : t.spec().network());
            List<String> argv = QemuCommand.forLab(binary, t.accel(), spec, t.image(), work, overlay, null, t.confinement(),
                    WarmRam.saving(tmp.resolve(WarmRam.FILE)));
            process = launcher.withPermit(work.labId(),
                    () -> launcher.launch(work, argv, spec.console(), spec.vnc(), 0, null));
            awaitPrompt(work, process, Duration.ofSeconds(t.spec().readiness().timeoutSeconds()));
            String sum = save(t, work, overlay, tmp);
            // The RAM file's only writer is gone before the entry exists: no lab ever maps a file that changes.
            kill(process);
            process = null;
            WarmCache.Entry entry = cache.commit(tmp, t.lineage(), t.key(), sum);
            if (entry != null) {
                LOG.infof("Saved the warm state %s (device state %d KB, RAM file %d MB)", t.key(),
                        Files.size(entry.state()) >> 10, Files.size(entry.ram()) >> 20);
            }
            return entry;
        } finally {
            if (process != null) {
                kill(process);
            }
            qmp.forget(work.labId());
            work.deleteAll();
            WarmCache.deleteTree(tmp); // gone already when committed
        }
    }

    private static void kill(Process process) {
        if (!QemuProcess.kill(process.toHandle())) {
            LOG.errorf("Warm-up QEMU %d survived SIGKILL", process.pid());
        }
    }

    /** Writes the device state, the disk and the console into {@code tmp}; returns the state's SHA-256. */
    private String save(WarmStart.Target t, VmDirectory work, Path overlay, Path tmp) throws IOException {
        Path socketDir = WarmSave.socketDir(t.confinement().user());
        String sum;
        try {
            sum = WarmSave.save(qmp, work, socketDir, tmp.resolve(WarmCache.STATE), saveTimeout);
        } catch (IOException e) {
            String tail = work.stderrTail(2);
            throw new IOException(e.getMessage() + (tail.isEmpty() ? "" : " (" + tail + ")"), e);
        } finally {
            WarmCache.deleteTree(socketDir);
        }
        if (overlay != null) {
            Files.copy(overlay, tmp.resolve(WarmCache.DISK)); // QEMU flushed it when the migration ended
        }
        Files.write(tmp.resolve(WarmCache.CONSOLE), BootFiles.tail(work, CONSOLE_TAIL));
        return sum;
    }

    private static void awaitPrompt(VmDirectory work, Process process, Duration timeout) throws RuntimeFailure, IOException {
        BootFiles.Boot boot = BootFiles.boot(work);
        LogScan scan = new LogScan();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!scan.found(BootFiles.log(work), boot)) {
            if (System.nanoTime() > deadline) {
                throw new RuntimeFailure("the warm-up machine did not show its readiness pattern within "
                        + ProcessRunner.words(timeout));
            }
            try {
                if (process.waitFor(ConsoleReadiness.TICK.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new RuntimeFailure("the warm-up machine's QEMU exited: " + work.stderrTail(3));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeFailure("interrupted while warming up", e);
            }
        }
    }
}
