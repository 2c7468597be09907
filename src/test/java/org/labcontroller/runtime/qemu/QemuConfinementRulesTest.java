package org.labcontroller.runtime.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.runtime.VmNetwork;
import org.labcontroller.runtime.VmSpec;

/** No template setting turns QEMU's confinement off, and a root controller never runs QEMU as root. */
class QemuConfinementRulesTest {
    private final VmDirectory vm = VmDirectory.of(Path.of("/var/lib/lab/vms"), "lab-9");
    private final ImageFiles.Resolved image = new ImageFiles.Resolved(Path.of("/img/vmlinuz"), null, null,
            "console=ttyS0 -sandbox off -runas root");

    @Test
    void everyTemplateShapeGetsTheSandboxAndTheUserSwitch() {
        for (VmNetwork mode : VmNetwork.values()) {
            for (boolean console : new boolean[] {true, false}) {
                for (boolean vnc : new boolean[] {true, false}) {
                    VmSpec spec = new VmSpec("lab-9", "s", new VmImage("k", null, null, "x", null), 4, 4096,
                            "#cloud-config\n", console, vnc, 3, mode);
                    List<String> argv = QemuCommand.forLab("qemu", "kvm", spec, image, vm, null, vm.seedImage(),
                            Confinement.as("labvm", false));
                    String where = mode + " console=" + console + " vnc=" + vnc;
                    assertEquals(1, argv.stream().filter("-sandbox"::equals).count(), where);
                    assertEquals("on,obsolete=deny,spawn=deny,resourcecontrol=deny", argv.get(argv.indexOf("-sandbox") + 1));
                    assertEquals("labvm", argv.get(argv.indexOf("-runas") + 1), where);
                    assertTrue(argv.contains("-nodefaults"), where);
                    // the template's kernel command line stays one argument for the guest
                    assertEquals("console=ttyS0 -sandbox off -runas root", argv.get(argv.indexOf("-append") + 1));
                }
            }
        }
    }

    @Test
    void aRootControllerWithoutTheQemuUserStartsNoLab() throws Exception {
        QemuVersion version = new QemuVersion("qemu-system-x86_64");
        if (Confinement.controllerIsRoot()) {
            RuntimeFailure failure = assertThrows(RuntimeFailure.class,
                    () -> Confinement.detect("no-such-user-lab11", version));
            assertTrue(failure.getMessage().contains("useradd"), failure.getMessage());
        } else {
            assertNull(Confinement.detect("no-such-user-lab11", version).user(), "not root: QEMU runs as the controller");
        }
    }
}
