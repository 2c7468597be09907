package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.VmNetwork;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus;

/**
 * Warm restores map their template's saved RAM file ({@link WarmRam}) against real QEMU and the
 * demo image: a restored lab answers, its QEMU maps the entry's file instead of holding a copy,
 * two labs restored from one entry keep their own memory (the mapping is private), the file is the
 * same bytes after the labs wrote to their memory, a damaged RAM file means a cold boot saying
 * why, and a restore a dead controller left waiting ({@code -incoming defer}) is loaded when observed and gets
 * its network card.
 */
class QemuSharedRamTest extends WarmRuntimeFixture {
    private VmSpec spec(String name) {
        VmSpec plain = fixture.spec(name, QemuFixture.kernelImage());
        return new VmSpec(plain.labId(), plain.owner(), plain.image(), 1, 192, null, true, true, 0, PROMPT,
                VmNetwork.ISOLATED, "t-demo");
    }

    /** The template's saved entry, made by a first lab's warm-up. */
    private Path savedEntry() throws Exception {
        VmSpec first = spec("first");
        runtime.start(first);
        warmUps.runAll();
        List<Path> entries = new WarmCache(warmDir, Long.MAX_VALUE, Clock.systemUTC()).list();
        assertEquals(1, entries.size(), "one saved state");
        return entries.get(0);
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest sha = WarmKey.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private String maps(VmSpec lab) throws IOException {
        long pid = VmDirectory.of(fixture.stateDir, lab.labId()).launchedPid();
        return Files.readString(Path.of("/proc", Long.toString(pid), "maps"));
    }

    @Test
    void labsRestoredFromOneEntryMapItsRamFileKeepTheirOwnMemoryAndNeverChangeTheFile() throws Exception {
        Path entry = savedEntry();
        Path ram = entry.resolve(WarmRam.FILE);
        assertEquals(192L << 20, Files.size(ram), "the RAM file is the machine's RAM");
        assertTrue(Files.size(entry.resolve(WarmCache.STATE)) < 8 << 20,
                "the stream holds the device state, not the RAM: " + Files.size(entry.resolve(WarmCache.STATE)));
        String sum = sha256(ram);
        long modified = Files.getLastModifiedTime(ram).toMillis();

        VmSpec a = spec("a");
        VmSpec b = spec("b");
        runtime.start(a);
        runtime.start(b);
        assertEquals(WarmStart.WARM, runtime.observe(a.labId()).reason());
        assertEquals(WarmStart.WARM, runtime.observe(b.labId()).reason());
        assertTrue(maps(a).contains(ram.toString()), "lab a's QEMU maps the entry's RAM file");
        assertTrue(maps(b).contains(ram.toString()), "lab b's QEMU maps the entry's RAM file");

        try (ConsoleSession console = new ConsoleSession(runtime.open(a.labId(), StreamKind.CONSOLE))) {
            console.run("echo $((6*7))", "42");
            // Fill and free guest memory too: every page the guest writes must be its own copy.
            console.run("dd if=/dev/urandom of=/tmp/fill bs=1M count=24 2>/dev/null; rm /tmp/fill;"
                    + " echo only-in-a > /tmp/mark && echo written-ok", "written-ok");
        }
        try (ConsoleSession console = new ConsoleSession(runtime.open(b.labId(), StreamKind.CONSOLE))) {
            console.run("test -e /tmp/mark && echo present || echo absent", "absent");
            console.run("echo only-in-b > /tmp/mark && cat /tmp/mark", "only-in-b");
        }
        try (ConsoleSession console = new ConsoleSession(runtime.open(a.labId(), StreamKind.CONSOLE))) {
            console.run("cat /tmp/mark", "only-in-a");
        }
        assertEquals(modified, Files.getLastModifiedTime(ram).toMillis(), "the RAM file was not written");
        assertEquals(sum, sha256(ram), "the RAM file holds the same bytes after the labs wrote to their memory");
    }

    @Test
    void aTruncatedRamFileMeansAColdBootWithTheReasonAndTheLabStillWorks() throws Exception {
        Path ram = savedEntry().resolve(WarmRam.FILE);
        try (FileChannel f = FileChannel.open(ram, StandardOpenOption.WRITE)) {
            f.truncate(Files.size(ram) / 2);
        }

        VmSpec lab = spec("cut");
        runtime.start(lab);
        await().atMost(BOOT).until(() -> runtime.observe(lab.labId()).ready());
        String reason = runtime.observe(lab.labId()).reason();
        assertTrue(reason.startsWith("Cold boot: warm state unusable: ram.bin has"), reason);
        assertTrue(Files.notExists(ram), "the damaged state is gone");
        assertEquals(1, warmUps.tasks.size(), "and a new warm-up is on its way");
        try (ConsoleSession console = new ConsoleSession(runtime.open(lab.labId(), StreamKind.CONSOLE))) {
            console.awaitPrompt(BOOT);
            console.run("echo $((6*7))", "42");
        }
    }
    @Test
    void aRestoreADeadControllerLeftWaitingForItsStateIsLoadedAndRunsWhenObserved() throws Exception {
        Path entry = savedEntry();
        VmSpec lab = spec("orphan");
        VmDirectory vm = VmDirectory.of(fixture.stateDir, lab.labId());
        vm.create();
        QemuFixture.Config config = fixture.config();
        WarmRestore.prepare(vm, new WarmCache.Entry(entry, "t", "k", false), lab.readiness());
        List<String> argv = QemuCommand.forLab(config.binary(), "tcg", lab,
                new ImageFiles(Path.of(config.imageDir())).resolve(lab.image()), vm, null, null,
                Confinement.detect(config.user(), new QemuVersion(config.binary())),
                WarmRam.restoring(entry.resolve(WarmRam.FILE), new QemuVersion(config.binary())));
        // What the dead controller did: launched the restore, then died before it started the load.
        PendingCard.record(vm, lab.network());
        new QemuLauncher(1, Duration.ofSeconds(30)).launch(vm, argv, true, true, 0, entry.resolve(WarmCache.STATE));
        assertEquals("inmigrate", new QmpSessions().call(vm, Duration.ofSeconds(5), QmpClient::status));

        await("loaded and let run").atMost(Duration.ofSeconds(30))
                .until(() -> runtime.observe(lab.labId()).phase() == VmStatus.Phase.RUNNING);
        Path pending = vm.dir().resolve(PendingCard.FILE);
        await("its own network card plugged, which the dead controller never did").atMost(Duration.ofSeconds(60))
                .until(() -> runtime.observe(lab.labId()) != null && !java.nio.file.Files.exists(pending));
        try (ConsoleSession console = new ConsoleSession(runtime.open(lab.labId(), StreamKind.CONSOLE))) {
            console.run("echo $((6*7))", "42");
            console.run("cat /sys/class/net/eth0/address", LabIdentity.of(lab.labId()).mac());
        }
    }
}
