package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus;
import org.labcontroller.runtime.VmStatus.Phase;

/**
 * A controller that dies between pausing a lab's machine and letting it run again (a warm restore
 * before its {@code cont}, a reset between {@code stop} and {@code cont}) leaves QEMU paused; the next
 * controller finds it so and must let it run, or the lab stays Starting for good. ClassBurstIT's
 * controller crash during 30 warm restores found this (labs stuck in "QEMU state: paused").
 */
class QemuLeftPausedTest extends QemuLabTest {
    private static final Duration BOOT = Duration.ofSeconds(90);

    @Test
    void aMachineLeftPausedByAnEarlierControllerRunsAgainWhenObserved() throws Exception {
        VmSpec spec = fixture.spec("paused", QemuFixture.kernelImage());
        runtime.start(spec);
        await("running").atMost(BOOT).until(() -> runtime.observe(spec.labId()).phase() == Phase.RUNNING);
        VmDirectory vm = VmDirectory.of(fixture.stateDir, spec.labId());
        // What the earlier controller did last before it died: paused the machine.
        new QmpSessions().call(vm, Duration.ofSeconds(5), session -> {
            session.execute("stop");
            return null;
        });
        assertEquals("paused", new QmpSessions().call(vm, Duration.ofSeconds(5), QmpClient::status));

        await("the observer lets it run again").atMost(Duration.ofSeconds(30)).until(() -> {
            VmStatus status = runtime.observe(spec.labId());
            return status.phase() == Phase.RUNNING;
        });
        assertEquals("running", new QmpSessions().call(vm, Duration.ofSeconds(5), QmpClient::status));
    }
}
