package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus.Phase;

/** Each lab writes to its own overlay of the template disk, and keeps it across reboots. */
class QemuDiskTest extends QemuLabTest {
    private static final Duration BOOT = Duration.ofSeconds(90);



    private ConsoleSession bootedConsole(VmSpec spec) throws Exception {
        await().atMost(BOOT).until(() -> runtime.observe().get(spec.labId()).phase() == Phase.RUNNING);
        ConsoleSession console = new ConsoleSession(runtime.open(spec.labId(), StreamKind.CONSOLE));
        console.awaitPrompt(BOOT);
        return console;
    }

    @Test
    void filesWrittenInALabSurviveRestartAndStopButStayInThatLab() throws Exception {
        VmSpec a = fixture.spec("a", QemuFixture.diskImage());
        VmSpec b = fixture.spec("b", QemuFixture.diskImage());
        String data = "data-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] template = Files.readAllBytes(QemuFixture.imageDir().resolve("disk.img"));

        runtime.start(a);
        try (ConsoleSession console = bootedConsole(a)) {
            console.run("cat /mnt/disk/README >/dev/null && echo readme-ok", "readme-ok");
            console.run("echo " + data + " > /mnt/disk/note && sync && echo written-ok", "written-ok");

            runtime.restart(fixture.spec("a", QemuFixture.diskImage(), 1)); // QMP system_reset: same process, same overlay
            console.clear();
            console.awaitPrompt(BOOT);
            console.run("cat /mnt/disk/note", data);
        }

        runtime.stop(a.labId());
        runtime.start(a); // a new QEMU process over the kept overlay
        try (ConsoleSession console = bootedConsole(a)) {
            console.run("cat /mnt/disk/note", data);
        }

        runtime.start(b);
        try (ConsoleSession console = bootedConsole(b)) {
            console.run("cat /mnt/disk/README >/dev/null && echo readme-ok", "readme-ok");
            console.run("test -e /mnt/disk/note && echo note-present || echo note-absent", "note-absent");
        }
        assertTrue(java.util.Arrays.equals(template, Files.readAllBytes(QemuFixture.imageDir().resolve("disk.img"))),
                "the template disk must never be written");
    }
}
