package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus.Phase;

/**
 * Cloud-init user data reaches the guest as a second disk (the NoCloud seed, after the lab's disk):
 * the lab's own ISO image labelled {@code cidata}, which the guest mounts and reads.
 */
class QemuCloudInitTest {

    @Test
    void userDataIsOnTheSeedDiskAfterTheLabDisk() throws Exception {
        QemuFixture fixture = new QemuFixture();
        QemuRuntime runtime = fixture.runtime();
        String marker = "seed-" + UUID.randomUUID().toString().substring(0, 8);
        VmSpec spec = new VmSpec(fixture.labId("seed"), "student", QemuFixture.diskImage(), 1, 192,
                "#cloud-config\nrun_cmd: [echo, " + marker + "]\n", true, false);
        try {
            runtime.start(spec);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> runtime.observe().get(spec.labId()).phase() == Phase.RUNNING);
            try (ConsoleSession console = new ConsoleSession(runtime.open(spec.labId(), StreamKind.CONSOLE))) {
                console.awaitPrompt(Duration.ofSeconds(90));
                console.run("test -e /mnt/disk/README && echo lab-disk-first", "lab-disk-first");
                console.run("head -c 4194304 /dev/vdb | grep -c " + marker + " | sed s/^/seed-lines-/", "seed-lines-1");
                // an ISO 9660 image labelled cidata, mounted as cloud-init would read it
                console.run("mkdir -p /seed && mount -t iso9660 -o ro /dev/vdb /seed && echo mounted", "mounted");
                console.run("grep -o " + marker + " /seed/user-data", marker);
                console.run("grep -c instance-id /seed/meta-data | sed s/^/meta-/", "meta-1");
                // the volume id in the primary volume descriptor (sector 16, offset 40) is what NoCloud looks for
                console.run("echo label-$(dd if=/dev/vdb bs=1 skip=32808 count=6 2>/dev/null)", "label-cidata");
            }
        } finally {
            fixture.cleanUp(runtime);
        }
    }
}
