package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.Readiness;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.runtime.VmNetwork;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus;
import org.labcontroller.runtime.WarmTarget;

/**
 * Warm start against real QEMU and the demo image: a template's first lab boots cold while a
 * warm-up machine is saved; later labs are restored from it, ready at once, and answer on their
 * console; a damaged state or a changed template means a cold boot that says why; two restored labs
 * share nothing. Warm-ups run on a queue the test drains itself, so which one runs when is certain.
 */
class QemuWarmStartTest extends WarmRuntimeFixture {
    private VmSpec spec(String name, VmImage image, int memoryMb) {
        VmSpec plain = fixture.spec(name, image);
        return new VmSpec(plain.labId(), plain.owner(), image, 1, memoryMb, null, true, true, 0, PROMPT,
                VmNetwork.ISOLATED, "t-demo");
    }

    private VmStatus ready(VmSpec spec) throws Exception {
        await().atMost(BOOT).until(() -> runtime.observe(spec.labId()).ready());
        return runtime.observe(spec.labId());
    }

    private List<Path> entries() throws IOException {
        return new WarmCache(warmDir, Long.MAX_VALUE, Clock.systemUTC()).list();
    }

    @Test
    void aTemplatesSecondLabIsRestoredWarmReadyAtOnceAndAnswersOnItsConsole() throws Exception {
        VmSpec first = spec("first", KERNEL, 192);
        runtime.start(first);
        assertEquals(1, warmUps.tasks.size(), "the first start warms the template up in the background");
        warmUps.runAll();
        assertEquals(1, entries().size(), "one saved state");
        assertEquals(WarmStart.PREPARING, ready(first).reason(), "the first lab booted cold and says why");

        VmSpec second = spec("second", KERNEL, 192);
        runtime.start(second);
        VmStatus status = runtime.observe(second.labId());
        assertTrue(status.ready(), "restored ready: " + status);
        assertEquals(WarmStart.WARM, status.reason());
        assertTrue(warmUps.tasks.isEmpty(), "no second warm-up");
        assertTrue(new String(runtime.consoleHistory(second.labId(), 4096)).contains(QemuRuntime.DEMO_PROMPT),
                "the console history shows the prompt the guest printed before it was saved");
        try (ConsoleSession console = new ConsoleSession(runtime.open(second.labId(), StreamKind.CONSOLE))) {
            console.run("echo $((6*7))", "42");
        }
    }

    @Test
    void aTruncatedStateMeansAColdBootWithTheReasonAndTheLabStillWorks() throws Exception {
        runtime.start(spec("first", KERNEL, 192));
        warmUps.runAll();
        Path state = entries().get(0).resolve(WarmCache.STATE);
        try (FileChannel f = FileChannel.open(state, StandardOpenOption.WRITE)) {
            f.truncate(Files.size(state) / 2);
        }

        VmSpec lab = spec("cut", KERNEL, 192);
        runtime.start(lab);
        String reason = ready(lab).reason();
        assertTrue(reason.startsWith("Cold boot: warm state unusable: state.bin has"), reason);
        assertEquals(List.of(), entries(), "the damaged state is gone");
        assertEquals(1, warmUps.tasks.size(), "and a new warm-up is on its way");
        try (ConsoleSession console = new ConsoleSession(runtime.open(lab.labId(), StreamKind.CONSOLE))) {
            console.awaitPrompt(BOOT);
            console.run("echo $((6*7))", "42");
        }
    }

    @Test
    void aStateQemuCannotLoadMeansAColdBootAndTheStateIsRemoved() throws Exception {
        runtime.start(spec("first", KERNEL, 192));
        warmUps.runAll();
        Path entry = entries().get(0);
        // Same size, same checksum recorded: damage only QEMU notices (a state of another machine shape).
        byte[] garbage = new byte[(int) Files.size(entry.resolve(WarmCache.STATE))];
        java.util.Arrays.fill(garbage, (byte) 7);
        Files.write(entry.resolve(WarmCache.STATE), garbage);
        java.util.Properties manifest = new java.util.Properties();
        try (var in = Files.newInputStream(entry.resolve(WarmCache.MANIFEST))) {
            manifest.load(in);
        }
        manifest.setProperty("stateSha256", java.util.HexFormat.of().formatHex(WarmKey.sha256().digest(garbage)));
        try (var out = Files.newOutputStream(entry.resolve(WarmCache.MANIFEST))) {
            manifest.store(out, null);
        }

        VmSpec lab = spec("bad", KERNEL, 192);
        runtime.start(lab);
        String reason = ready(lab).reason();
        assertTrue(reason.startsWith("Cold boot: warm state unusable: QEMU could not restore it"), reason);
        assertFalse(Files.exists(entry), "the unusable state is gone");
    }

    @Test
    void aTemplateChangeBootsColdAndReplacesItsState() throws Exception {
        runtime.start(spec("small", KERNEL, 192));
        warmUps.runAll();
        Path old = entries().get(0);

        VmSpec bigger = spec("bigger", KERNEL, 256); // the template's memory changed
        runtime.start(bigger);
        assertEquals(WarmStart.PREPARING, ready(bigger).reason());
        warmUps.runAll();
        assertEquals(1, entries().size(), "the template's old state was removed");
        assertNotEquals(old, entries().get(0));

        VmSpec next = spec("next", KERNEL, 256);
        runtime.start(next);
        assertEquals(WarmStart.WARM, runtime.observe(next.labId()).reason());
    }

    @Test
    void twoLabsRestoredFromOneStateAreIndependent() throws Exception {
        runtime.start(spec("first", DISK, 192));
        warmUps.runAll();
        VmSpec a = spec("a", DISK, 192);
        VmSpec b = spec("b", DISK, 192);
        runtime.start(a);
        runtime.start(b);
        assertEquals(WarmStart.WARM, runtime.observe(a.labId()).reason());
        assertEquals(WarmStart.WARM, runtime.observe(b.labId()).reason());
        try (ConsoleSession console = new ConsoleSession(runtime.open(a.labId(), StreamKind.CONSOLE))) {
            console.run("echo only-in-a > /mnt/disk/note && echo only-in-a > /root/mark && sync && echo written-ok",
                    "written-ok");
        }
        try (ConsoleSession console = new ConsoleSession(runtime.open(b.labId(), StreamKind.CONSOLE))) {
            console.run("test -e /mnt/disk/note -o -e /root/mark && echo present || echo absent", "absent");
            console.run("cat /mnt/disk/README >/dev/null && echo readme-ok", "readme-ok");
        }
        Path overlayA = VmDirectory.of(fixture.stateDir, a.labId()).overlay();
        Path overlayB = VmDirectory.of(fixture.stateDir, b.labId()).overlay();
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(overlayA), Files.readAllBytes(overlayB)),
                "each lab writes its own overlay");
    }

    @Test
    void threeLabsStartedAtOnceWithoutAStateWarmUpOnceAndBootCold() throws Exception {
        List<VmSpec> specs = List.of(spec("x", KERNEL, 192), spec("y", KERNEL, 192), spec("z", KERNEL, 192));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService students = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> starts = new ArrayList<>();
            for (VmSpec s : specs) {
                starts.add(students.submit(() -> {
                    go.await();
                    runtime.start(s);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : starts) {
                f.get();
            }
        } finally {
            students.shutdown();
        }
        assertEquals(1, warmUps.tasks.size(), "exactly one warm-up for the three starts");
        for (VmSpec s : specs) {
            assertEquals(WarmStart.PREPARING, ready(s).reason(), "each boots cold, none waits");
        }
        warmUps.runAll();
        assertEquals(1, entries().size(), "exactly one save");
    }

    @Test
    void aTemplateWhoseWarmUpFailedBootsColdSayingWhyUntilItsRetryTime() throws Exception {
        Readiness never = new Readiness(Readiness.CONSOLE, "no-such-prompt", 1);
        VmSpec first = spec("first", KERNEL, 192);
        VmSpec hopeless = new VmSpec(first.labId(), "student", KERNEL, 1, 192, null, true, true, 0, never,
                VmNetwork.ISOLATED, "t-never");
        runtime.start(hopeless);
        warmUps.runAll(); // its warm-up machine never shows the pattern
        assertEquals(List.of(), entries());

        VmSpec second = new VmSpec(fixture.labId("second"), "student", KERNEL, 1, 192, null, true, true, 0, never,
                VmNetwork.ISOLATED, "t-never");
        runtime.start(second);
        String note = StartNote.read(VmDirectory.of(fixture.stateDir, second.labId()));
        assertTrue(note.startsWith("Cold boot: its template's last warm-up failed (the warm-up machine did not show"), note);
        assertTrue(warmUps.tasks.isEmpty(), "no warm-up again so soon");

        clock.advance(WarmStart.RETRY_AFTER.toSeconds());
        runtime.start(new VmSpec(fixture.labId("third"), "student", KERNEL, 1, 192, null, true, true, 0, never,
                VmNetwork.ISOLATED, "t-never"));
        assertEquals(1, warmUps.tasks.size(), "tried again after its retry time");
        warmUps.tasks.clear();
    }

    @Test
    void aTemplateWantedAheadOfUseIsWarmAtItsFirstLab() throws Exception {
        List<WarmTarget> wanted = List.of(new WarmTarget("t-demo", spec("ahead", KERNEL, 192), 0));
        runtime.keepWarm(wanted);
        assertEquals(1, warmUps.tasks.size(), "a warm-up is queued before any lab exists");
        warmUps.runAll();
        assertEquals(1, entries().size());
        runtime.keepWarm(wanted);
        assertEquals(0, warmUps.tasks.size(), "its state exists: nothing more to do");

        VmSpec first = spec("first", KERNEL, 192);
        runtime.start(first);
        assertEquals(WarmStart.WARM, runtime.observe(first.labId()).reason(), "the template's very first lab starts warm");
        ready(first);
    }
}
