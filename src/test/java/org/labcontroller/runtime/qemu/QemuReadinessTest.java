package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.Readiness;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus;
import org.labcontroller.runtime.VmStatus.Phase;

/**
 * Console readiness against real QEMU and the demo image: a lab's machine is ready only once its
 * serial output showed the template's pattern (the busybox prompt), the runtime says so with an
 * event, a restart or a relaunch makes the new boot wait for its own prompt, a pattern that never
 * shows keeps the machine booting, and a controller started afterwards tells the same.
 */
class QemuReadinessTest extends QemuLabTest {
    private static final Duration BOOT = Duration.ofSeconds(90);
    private static final Readiness PROMPT = new Readiness(Readiness.CONSOLE, QemuRuntime.DEMO_PROMPT, 300);

    private VmSpec spec(String name, Readiness readiness, int generation) {
        // The demo's own command line: without no_timer_check its kernel may hang under a loaded host.
        VmImage image = new VmImage("vmlinuz", "initrd.img", null, QemuFixture.KERNEL_CMDLINE + " no_timer_check", null);
        VmSpec plain = fixture.spec(name, image, generation);
        return new VmSpec(plain.labId(), plain.owner(), plain.image(), plain.cpus(), plain.memoryMb(), plain.cloudInit(),
                plain.console(), plain.vnc(), generation, readiness);
    }

    private String log(VmSpec spec) throws IOException {
        Path log = BootFiles.log(VmDirectory.of(fixture.stateDir, spec.labId()));
        return Files.exists(log) ? Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
    }

    @Test
    void theDemoLabIsReadyOnlyAfterItsPromptShowsAndTheRuntimeSaysSo() throws Exception {
        // What the log held at each readiness event: the prompt must be in it before "ready" is said.
        Map<String, String> logAtEvent = new ConcurrentHashMap<>();
        VmSpec spec = spec("ready", PROMPT, 0);
        runtime.watch(labId -> {
            try {
                logAtEvent.putIfAbsent(labId, log(spec));
            } catch (IOException e) {
                logAtEvent.putIfAbsent(labId, "unreadable: " + e);
            }
        });
        runtime.start(spec);
        VmStatus launched = runtime.observe(spec.labId());
        assertFalse(launched.ready(), "QEMU runs, the guest has not booted yet: " + launched);
        assertEquals(ConsoleReadiness.WAITING, launched.reason());
        assertFalse(log(spec).contains(QemuRuntime.DEMO_PROMPT));

        try {
            await("the readiness event").atMost(BOOT).until(() -> logAtEvent.containsKey(spec.labId()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("No readiness event; the guest printed: " + log(spec), e);
        }
        assertTrue(logAtEvent.get(spec.labId()).contains(QemuRuntime.DEMO_PROMPT), logAtEvent.get(spec.labId()));
        VmStatus ready = runtime.observe(spec.labId());
        assertEquals(new VmStatus(spec.labId(), Phase.RUNNING, null, 0, true), ready);
        String history = new String(runtime.consoleHistory(spec.labId(), 65536), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(history.contains(QemuRuntime.DEMO_PROMPT), "a viewer who joins now sees the prompt: " + history);

        try (ConsoleSession console = new ConsoleSession(runtime.open(spec.labId(), StreamKind.CONSOLE))) {
            console.type("");
            console.run("echo usable-$((6*7))", "usable-42"); // no waiting for a prompt: it is there
        }
        assertTrue(fixture.runtime().observe(spec.labId()).ready(), "a controller started now sees it ready too");
    }

    @Test
    void aRestartAndARelaunchEachWaitForTheirOwnPrompt() throws Exception {
        VmSpec spec = spec("again", PROMPT, 0);
        runtime.start(spec);
        await().atMost(BOOT).until(() -> runtime.observe(spec.labId()).ready());

        runtime.restart(spec("again", PROMPT, 1));
        VmStatus reset = runtime.observe(spec.labId());
        assertFalse(reset.ready(), "the reset guest boots again: " + reset);
        assertFalse(log(spec).contains(QemuRuntime.DEMO_PROMPT), "the old boot's prompt does not count");
        assertFalse(fixture.runtime().observe(spec.labId()).ready(), "not for a new controller either");
        await().atMost(BOOT).until(() -> runtime.observe(spec.labId()).ready());

        runtime.stop(spec.labId());
        runtime.start(spec("again", PROMPT, 1));
        assertFalse(runtime.observe(spec.labId()).ready(), "a relaunched guest boots again");
        await().atMost(BOOT).until(() -> runtime.observe(spec.labId()).ready());
    }

    @Test
    void aPatternThatNeverShowsKeepsTheMachineBooting() throws Exception {
        VmSpec spec = spec("never", new Readiness(Readiness.CONSOLE, "this-text-is-never-printed", 300), 0);
        runtime.start(spec);
        await("the guest's prompt, which is not the pattern").atMost(BOOT).until(() -> log(spec).contains(QemuRuntime.DEMO_PROMPT));
        VmStatus status = runtime.observe(spec.labId());
        assertEquals(VmStatus.booting(spec.labId(), ConsoleReadiness.WAITING, 0), status);
        assertEquals(Phase.RUNNING, status.phase());
    }

    @Test
    void withoutReadinessTheMachineIsReadyAsSoonAsItRuns() throws RuntimeFailure {
        VmSpec spec = spec("none", Readiness.IMMEDIATE, 0);
        runtime.start(spec);
        await().atMost(BOOT).until(() -> runtime.observe(spec.labId()).phase() == Phase.RUNNING);
        assertTrue(runtime.observe(spec.labId()).ready());
        assertFalse(Files.exists(BootFiles.log(VmDirectory.of(fixture.stateDir, spec.labId()))), "no serial output is kept");
    }
}
