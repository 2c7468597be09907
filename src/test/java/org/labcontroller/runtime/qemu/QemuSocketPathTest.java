package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus.Phase;

/** Unix socket paths are limited to 107 bytes; deep state directories must still work. */
class QemuSocketPathTest {

    @Test
    void shortLabDirectoryKeepsItsSockets() {
        VmDirectory vm = VmDirectory.of(Path.of("/var/lib/lab/vms"), "lab-1");
        assertEquals(vm.dir(), vm.socketDir());
    }

    @Test
    void longLabDirectoryMovesSocketsToAShortStableDirectory() {
        Path deep = Path.of("/srv/" + "very-long-directory-name/".repeat(4));
        VmDirectory vm = VmDirectory.of(deep, "0f5d6c1e-8a7b-4c3d-9e2f-1a2b3c4d5e6f");
        assertNotEquals(vm.dir(), vm.socketDir());
        assertTrue(vm.serialSocket().toString().getBytes(StandardCharsets.UTF_8).length <= VmDirectory.MAX_SOCKET_PATH);
        assertEquals(vm.socketDir(), VmDirectory.of(deep, "0f5d6c1e-8a7b-4c3d-9e2f-1a2b3c4d5e6f").socketDir());
        assertNotEquals(vm.socketDir(), VmDirectory.of(deep, "another-lab").socketDir());
    }

    @Test
    void labInADeepStateDirectoryRunsAndLeavesNoSocketDirectory() throws Exception {
        Path deep = Path.of("target", "qemu-tests", "a-rather-long-directory-name-to-exceed-the-limit".repeat(2));
        QemuFixture fixture = new QemuFixture(deep);
        QemuRuntime runtime = fixture.runtime();
        VmSpec spec = fixture.spec("deep", QemuFixture.kernelImage());
        VmDirectory vm = VmDirectory.of(fixture.stateDir, spec.labId());
        assertNotEquals(vm.dir(), vm.socketDir());
        try {
            runtime.start(spec);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> runtime.observe().get(spec.labId()).phase() == Phase.RUNNING);
            try (ConsoleSession console = new ConsoleSession(runtime.open(spec.labId(), StreamKind.CONSOLE))) {
                console.awaitPrompt(Duration.ofSeconds(90));
            }
        } finally {
            fixture.cleanUp(runtime);
            Files.deleteIfExists(deep.toAbsolutePath());
        }
        assertFalse(Files.exists(vm.socketDir()));
    }
}
