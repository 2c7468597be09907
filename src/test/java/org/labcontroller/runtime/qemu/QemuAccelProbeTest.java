package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus.Phase;

/**
 * {@code accel=auto} ends with a lab that reaches its shell: under KVM where a probe boot proves it
 * works, under TCG where KVM is missing or (as on nested hosts) starts guests that never run.
 */
class QemuAccelProbeTest {

    @Test
    void autoAcceleratedLabReachesItsShellEitherWay() throws Exception {
        QemuFixture fixture = new QemuFixture();
        QemuFixture.Config base = fixture.config();
        QemuRuntime runtime = new QemuRuntime(new QemuFixture.Config(base.binary(), QemuConfig.Accel.AUTO,
                base.maxBooting(), base.stateDir(), base.imageDir(), base.stopTimeout()),
                Duration.ofSeconds(30), Duration.ofSeconds(8));
        VmSpec spec = fixture.spec("auto", QemuFixture.kernelImage());
        try {
            runtime.start(spec);
            String cmdline = QemuFixture.cmdline(VmDirectory.of(fixture.stateDir, spec.labId()).launchedPid());
            assertTrue(cmdline.contains("accel=kvm") || cmdline.contains("accel=tcg"), cmdline);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> runtime.observe().get(spec.labId()).phase() == Phase.RUNNING);
            try (ConsoleSession console = new ConsoleSession(runtime.open(spec.labId(), StreamKind.CONSOLE))) {
                console.awaitPrompt(Duration.ofSeconds(90));
            }
            assertTrue(ProcessHandle.allProcesses().noneMatch(h -> QemuFixture.cmdline(h.pid()).contains("lab-probe")),
                    "the probe VM must be gone");
        } finally {
            fixture.cleanUp(runtime);
        }
    }
}
