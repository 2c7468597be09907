package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus.Phase;

/**
 * A restart is idempotent per generation, against real QEMU: the demo guest's /tmp is a tmpfs, so a
 * file written there survives exactly as long as the guest runs without a reset.
 */
class QemuRestartTest extends QemuLabTest {
    private static final Duration BOOT = Duration.ofSeconds(90);



    @Test
    void restartToAGenerationAlreadyReachedDoesNotResetAgain() throws Exception {
        VmSpec spec = fixture.spec("gen", QemuFixture.kernelImage());
        VmSpec restart = fixture.spec("gen", QemuFixture.kernelImage(), 1);
        runtime.start(spec);
        await().atMost(BOOT).until(() -> runtime.observe().get(spec.labId()).phase() == Phase.RUNNING);
        try (ConsoleSession console = new ConsoleSession(runtime.open(spec.labId(), StreamKind.CONSOLE))) {
            console.awaitPrompt(BOOT);
            console.run("echo 1 > /tmp/mark && echo marked-1", "marked-1");

            runtime.restart(restart);
            awaitLine(console, "test -e /tmp/mark || echo mark-gone", "mark-gone"); // the guest was reset
            console.run("echo 2 > /tmp/mark && echo marked-2", "marked-2");

            runtime.restart(restart); // the same request again, as a retried reconcile would send it
            console.run("cat /tmp/mark", "2");
        }
        assertEquals(1, runtime.observe().get(spec.labId()).restartGeneration());
    }

    @Test
    void restartOfAStoppedLabStartsItAndRecordsTheGeneration() throws Exception {
        VmSpec spec = fixture.spec("stopped", QemuFixture.kernelImage());
        runtime.start(spec);
        runtime.stop(spec.labId());
        assertEquals(0, runtime.observe(spec.labId()).restartGeneration());

        runtime.restart(fixture.spec("stopped", QemuFixture.kernelImage(), 2));
        await().atMost(BOOT).until(() -> runtime.observe(spec.labId()).phase() == Phase.RUNNING);
        assertEquals(2, runtime.observe(spec.labId()).restartGeneration());
    }

    /** Types {@code command} until a whole output line equals {@code expected} (the guest may be rebooting). */
    private static void awaitLine(ConsoleSession console, String command, String expected) {
        Pattern line = Pattern.compile("(^|\n)" + Pattern.quote(expected) + "\r?\n");
        await("'" + expected + "' printed by: " + command).atMost(BOOT).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    console.type(command);
                    return line.matcher(console.text()).find();
                });
    }
}
