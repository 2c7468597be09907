package org.labcontroller.runtime.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmSpec;

/** A launch that fails leaves no QEMU behind, and its failure says whether retrying can help. */
class QemuLaunchFailureTest extends QemuLabTest {



    @Test
    void qemuWhoseLaunchCannotBeRecordedIsKilled() throws Exception {
        VmSpec spec = fixture.spec("unrecorded", QemuFixture.kernelImage());
        // A directory where recordLaunch writes its temporary file: the record cannot be written.
        Files.createDirectories(fixture.stateDir.resolve(spec.labId()).resolve("launch.properties.tmp"));
        RuntimeFailure failure = assertThrows(RuntimeFailure.class, () -> runtime.start(spec));
        assertTrue(failure.getMessage().startsWith("Could not record the launch of lab " + spec.labId()),
                failure.getMessage());
        assertEquals(List.of(), fixture.processes(), "a QEMU runs that nothing recorded");
    }

    @Test
    void invalidLabIdIsAPermanentFailure() {
        VmSpec spec = new VmSpec("../escape", "student", QemuFixture.kernelImage(), 1, 192, null, true, false);
        RuntimeFailure failure = assertThrows(RuntimeFailure.class, () -> runtime.start(spec));
        assertTrue(failure.permanent(), failure.getMessage());
    }

    @Test
    void noBootSlotInTimeIsTransientAndPromisesNoRetry() {
        QemuLauncher launcher = new QemuLauncher(1, Duration.ofMillis(200));
        RuntimeFailure failure = assertThrows(RuntimeFailure.class,
                () -> launcher.withPermit("a", () -> launcher.withPermit("b", () -> null)));
        assertFalse(failure.permanent(), failure.getMessage());
        assertFalse(failure.getMessage().contains("retried"), failure.getMessage());
    }

    @Test
    void missingBaseDiskIsAPermanentFailure() {
        DiskOverlay disks = new DiskOverlay("qemu-system-x86_64");
        RuntimeFailure failure = assertThrows(RuntimeFailure.class,
                () -> disks.ensure(fixture.stateDir.resolve("missing.img"), fixture.stateDir.resolve("x.qcow2")));
        assertTrue(failure.permanent(), failure.getMessage());
    }
}
