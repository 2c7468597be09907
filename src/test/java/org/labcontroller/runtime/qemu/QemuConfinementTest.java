package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus.Phase;

/**
 * A lab's QEMU runs with least privilege, read from the kernel's view of the process: under the
 * unprivileged QEMU user when the controller is root (its own user otherwise), in seccomp filter
 * mode, while the controller still reaches its console; the lab's files stay the controller's only.
 */
class QemuConfinementTest {

    @Test
    void labQemuRunsAsTheLabUserUnderSeccompAndItsConsoleStillAnswers() throws Exception {
        QemuFixture fixture = new QemuFixture();
        QemuRuntime runtime = fixture.runtime();
        VmSpec spec = fixture.spec("conf", QemuFixture.diskImage());
        try {
            runtime.start(spec);
            await().atMost(Duration.ofSeconds(60)).until(() -> runtime.observe().get(spec.labId()).phase() == Phase.RUNNING);
            List<Long> pids = fixture.processes();
            assertEquals(1, pids.size(), "one QEMU: " + pids);
            List<String> status = Files.readAllLines(Path.of("/proc", pids.get(0).toString(), "status"));
            String expectedUid = Integer.toString(Confinement.controllerIsRoot() ? uidOf("labvm") : ownUid());
            for (String field : new String[] {"Uid:", "Gid:"}) {
                String[] ids = field(status, field).split("\\s+");
                assertEquals(4, ids.length, field);
                if (field.equals("Uid:")) {
                    assertEquals(List.of(expectedUid, expectedUid, expectedUid, expectedUid), List.of(ids),
                            "real, effective, saved and filesystem user of QEMU");
                } else if (Confinement.controllerIsRoot()) {
                    assertTrue(!List.of(ids).contains("0"), "no root group left: " + field(status, field));
                }
            }
            assertEquals("2", field(status, "Seccomp:"), "seccomp filter mode");
            assertEquals("0000000000000000", field(status, "CapEff:"), "no capabilities");

            VmDirectory vm = VmDirectory.of(fixture.stateDir, spec.labId());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(vm.dir())));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(vm.socketDir())));
            try (ConsoleSession console = new ConsoleSession(runtime.open(spec.labId(), StreamKind.CONSOLE))) {
                console.awaitPrompt(Duration.ofSeconds(90));
                console.run("echo $((6 * 7))", "42");
                // the overlay was opened before QEMU gave up root: the guest still writes its disk
                console.run("echo kept > /mnt/disk/note && sync && cat /mnt/disk/note", "kept");
            }
        } finally {
            fixture.cleanUp(runtime);
        }
    }

    private static String field(List<String> status, String name) {
        return status.stream().filter(l -> l.startsWith(name)).findFirst()
                .map(l -> l.substring(name.length()).strip()).orElseThrow(() -> new AssertionError("no " + name));
    }

    private static int ownUid() throws Exception {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    private static int uidOf(String user) throws Exception {
        Process p = new ProcessBuilder("id", "-u", user).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), "the QEMU user '" + user + "' exists (scripts/run.sh creates it)");
        return Integer.parseInt(out);
    }
}
