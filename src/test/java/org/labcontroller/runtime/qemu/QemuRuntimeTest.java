package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.StreamUnavailableException;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus;
import org.labcontroller.runtime.VmStatus.Phase;

/** The QEMU runtime's lifecycle against real QEMU and the real demo image (kernel + busybox). */
class QemuRuntimeTest extends QemuLabTest {
    private static final Duration BOOT = Duration.ofSeconds(90);



    private void awaitPhase(QemuRuntime rt, String labId, Phase phase) {
        await(labId + " " + phase).atMost(BOOT).until(() -> {
            VmStatus status = rt.observe().get(labId);
            return status != null && status.phase() == phase;
        });
    }

    @Test
    void bootedLabAnswersOnItsConsoleAndScreen() throws Exception {
        VmSpec spec = fixture.spec("boot", QemuFixture.kernelImage());
        assertTrue(runtime.ready());
        runtime.start(spec);
        awaitPhase(runtime, spec.labId(), Phase.RUNNING);
        try (ConsoleSession console = new ConsoleSession(runtime.open(spec.labId(), StreamKind.CONSOLE))) {
            console.awaitPrompt(BOOT);
            String marker = "hello-" + UUID.randomUUID().toString().substring(0, 8);
            console.run("echo " + marker, marker);
        }
        try (ByteChannel vnc = runtime.open(spec.labId(), StreamKind.VNC)) {
            ByteBuffer greeting = ByteBuffer.allocate(12);
            while (greeting.hasRemaining() && vnc.read(greeting) >= 0) {
                // RFB servers speak first: "RFB 003.008\n"
            }
            assertEquals("RFB 003.008\n", new String(greeting.array(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void startingARunningLabChangesNothing() throws Exception {
        VmSpec spec = fixture.spec("twice", QemuFixture.kernelImage());
        runtime.start(spec);
        long pid = VmDirectory.of(fixture.stateDir, spec.labId()).launchedPid();
        runtime.start(spec);
        assertEquals(pid, VmDirectory.of(fixture.stateDir, spec.labId()).launchedPid());
        assertEquals(1, fixture.processes().size());
    }

    @Test
    void stoppedLabHasNoProcessAndNoStreams() throws Exception {
        VmSpec spec = fixture.spec("stop", QemuFixture.kernelImage());
        runtime.start(spec);
        awaitPhase(runtime, spec.labId(), Phase.RUNNING);
        runtime.stop(spec.labId());
        assertEquals(new VmStatus(spec.labId(), Phase.STOPPED, null), runtime.observe().get(spec.labId()));
        assertEquals(0, fixture.processes().size());
        assertThrows(StreamUnavailableException.class, () -> runtime.open(spec.labId(), StreamKind.CONSOLE));
        runtime.stop(spec.labId()); // idempotent
    }

    @Test
    void deletedLabLeavesNoProcessAndNoFile() throws Exception {
        VmSpec spec = fixture.spec("delete", QemuFixture.diskImage());
        runtime.start(spec);
        runtime.delete(spec.labId());
        assertEquals(0, fixture.processes().size());
        assertFalse(runtime.observe().containsKey(spec.labId()));
        assertFalse(Files.exists(fixture.stateDir.resolve(spec.labId())));
        runtime.delete(spec.labId()); // idempotent
    }

    @Test
    void killedQemuIsReportedFailedAndStartRecoversIt() throws Exception {
        VmSpec spec = fixture.spec("kill", QemuFixture.kernelImage());
        runtime.start(spec);
        awaitPhase(runtime, spec.labId(), Phase.RUNNING);
        long pid = VmDirectory.of(fixture.stateDir, spec.labId()).launchedPid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL, as `kill -9` would
        awaitPhase(runtime, spec.labId(), Phase.FAILED);
        String reason = runtime.observe().get(spec.labId()).reason();
        assertTrue(reason.contains("killed"), reason);

        runtime.start(spec);
        awaitPhase(runtime, spec.labId(), Phase.RUNNING);
    }

    @Test
    void guestPoweringOffIsReportedStoppedNotFailed() throws Exception {
        VmSpec spec = fixture.spec("poweroff", QemuFixture.kernelImage());
        runtime.start(spec);
        try (ConsoleSession console = new ConsoleSession(runtime.open(spec.labId(), StreamKind.CONSOLE))) {
            console.awaitPrompt(BOOT);
            console.type("poweroff");
            awaitPhase(runtime, spec.labId(), Phase.STOPPED);
        }
        assertEquals("The machine powered itself off.", runtime.observe().get(spec.labId()).reason());
        assertTrue(runtime.observe(spec.labId()).poweredOff(), "told apart from a stop the controller asked for");
        runtime.stop(spec.labId()); // what the loop does next
        assertFalse(runtime.observe(spec.labId()).poweredOff(), "once stopped, just stopped");
        assertEquals(Phase.STOPPED, runtime.observe(spec.labId()).phase());
    }

    @Test
    void restartedControllerAdoptsRunningLab() throws Exception {
        VmSpec spec = fixture.spec("adopt", QemuFixture.kernelImage());
        runtime.start(spec);
        QemuRuntime next = fixture.runtime(); // a new controller over the same state directory
        awaitPhase(next, spec.labId(), Phase.RUNNING);
        try (ConsoleSession console = new ConsoleSession(next.open(spec.labId(), StreamKind.CONSOLE))) {
            console.awaitPrompt(BOOT);
            console.run("echo adopted-$((40+2))", "adopted-42");
        }
        next.stop(spec.labId());
        assertEquals(Phase.STOPPED, runtime.observe().get(spec.labId()).phase());
    }

    @Test
    void unusableBinaryFailsTheStartWithQemusError() throws Exception {
        QemuFixture.Config good = fixture.config();
        QemuRuntime broken = new QemuRuntime(new QemuFixture.Config("/nonexistent/qemu-system-x86_64", good.accel(),
                good.maxBooting(), good.stateDir(), good.imageDir(), good.stopTimeout()));
        VmSpec spec = fixture.spec("badbin", QemuFixture.kernelImage());
        RuntimeFailure failure = assertThrows(RuntimeFailure.class, () -> broken.start(spec));
        assertTrue(failure.getMessage().contains("/nonexistent/qemu-system-x86_64"), failure.getMessage());
        assertFalse(broken.ready());
        assertEquals(Phase.FAILED, broken.observe().get(spec.labId()).phase());
    }

    @Test
    void badArgumentsFailTheStartWithQemusError() throws Exception {
        VmSpec spec = new VmSpec(fixture.labId("badarg"), "student", QemuFixture.kernelImage(), 1, 1024 * 1024 * 64,
                null, true, false);
        RuntimeFailure failure = assertThrows(RuntimeFailure.class, () -> runtime.start(spec));
        assertTrue(failure.getMessage().contains("QEMU exited at launch"), failure.getMessage());
        VmStatus status = runtime.observe().get(spec.labId());
        assertEquals(Phase.FAILED, status.phase());
        assertTrue(status.reason().startsWith("QEMU exited unexpectedly: "), status.reason());
    }
}
