package org.labcontroller.runtime.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.Readiness;
import org.labcontroller.runtime.VmNetwork;
import org.labcontroller.runtime.VmSpec;

/** The command line of a lab's VM, read without starting QEMU. */
class QemuCommandTest {
    private static final Confinement ROOT = Confinement.as("labvm", false);
    private final VmDirectory vm = VmDirectory.of(Path.of("/var/lib/lab/vms"), "lab-7");
    private final ImageFiles.Resolved image = new ImageFiles.Resolved(Path.of("/img/vmlinuz"),
            Path.of("/img/initrd.img"), Path.of("/img/disk.img"), null);

    private static VmSpec spec(boolean console, boolean vnc) {
        return new VmSpec("lab-7", "student", null, 2, 512, null, console, vnc);
    }

    private static String after(List<String> argv, String option) {
        return argv.get(argv.indexOf(option) + 1);
    }

    /** The value of the {@code option} whose value starts with {@code prefix} (one of several -device). */
    private static String after(List<String> argv, String option, String prefix) {
        for (int i = 0; i + 1 < argv.size(); i++) {
            if (argv.get(i).equals(option) && argv.get(i + 1).startsWith(prefix)) {
                return argv.get(i + 1);
            }
        }
        return null;
    }

    @Test
    void headlessMachineNamedAfterTheLabWithSocketsInItsDirectory() {
        List<String> argv = QemuCommand.forLab("qemu-system-x86_64", "tcg", spec(true, true), image, vm,
                vm.overlay(), null, ROOT);
        assertEquals("qemu-system-x86_64", argv.get(0));
        assertTrue(argv.containsAll(List.of("-nodefaults", "-no-user-config")));
        assertEquals("q35,accel=tcg", after(argv, "-machine"));
        assertEquals("2", after(argv, "-smp"));
        assertEquals("512M", after(argv, "-m"));
        assertEquals("lab-lab-7", after(argv, "-name"));
        assertEquals("/var/lib/lab/vms/lab-7/qemu.pid", after(argv, "-pidfile"));
        assertEquals("unix:/var/lib/lab/vms/lab-7/qmp.sock,server=on,wait=off", after(argv, "-qmp"));
        assertEquals("socket,id=console,path=/var/lib/lab/vms/lab-7/serial.sock,server=on,wait=off",
                after(argv, "-chardev"));
        assertEquals("unix:/var/lib/lab/vms/lab-7/vnc.sock", after(argv, "-vnc"));
        assertEquals(QemuCommand.DEFAULT_CMDLINE, after(argv, "-append"));
        assertEquals("if=virtio,format=qcow2,file.auto-read-only=off,file=/var/lib/lab/vms/lab-7/overlay.qcow2", after(argv, "-drive"));
    }

    @Test
    void guestPanicPausesTheMachineSoItCanBeSeen() {
        List<String> argv = QemuCommand.forLab("qemu", "tcg", spec(false, false), image, vm, null, null, ROOT);
        assertEquals("pvpanic", after(argv, "-device"));
        assertEquals("panic=pause", after(argv, "-action"));
    }

    @Test
    void streamsNotOfferedAreNotCreated() {
        List<String> argv = QemuCommand.forLab("qemu", "kvm", spec(false, false), image, vm, null, null, ROOT);
        assertFalse(argv.contains("-vnc"));
        assertFalse(argv.contains("-chardev"));
        assertEquals("null", after(argv, "-serial"));
        assertFalse(argv.contains("-drive"));
    }

    @Test
    void cloudInitSeedIsTheLabsOwnReadOnlyImageNotVvfat() {
        List<String> argv = QemuCommand.forLab("qemu", "tcg", spec(true, false), image, vm, null, vm.seedImage(), ROOT);
        assertEquals(1, Collections.frequency(argv, "-drive"));
        assertEquals("if=virtio,format=raw,readonly=on,file=/var/lib/lab/vms/lab-7/seed.iso", after(argv, "-drive"));
        assertFalse(String.join(" ", argv).contains("vvfat"));
    }

    @Test
    void isolatedIsARestrictedUserNetworkAndTheDefault() {
        List<String> argv = QemuCommand.forLab("qemu", "tcg", spec(false, false), image, vm, null, null, ROOT);
        LabIdentity id = LabIdentity.of("lab-7");
        assertEquals("user,id=net0,ipv6=off,restrict=on,hostname=" + id.hostname(), after(argv, "-netdev"));
        assertEquals("virtio-net-pci,netdev=net0,mac=" + id.mac(), after(argv, "-device", "virtio-net-pci"));
        assertFalse(argv.contains("-nic"));
    }

    @Test
    void warmUpAndRestoreHaveOneShapeWithAFreePortAndNothingOfALabsOwn() {
        VmDirectory canonical = VmDirectory.of(Path.of("/warm"), "canonical");
        Path ram = canonical.dir().resolve(WarmRam.FILE);
        for (VmNetwork mode : List.of(VmNetwork.ISOLATED, VmNetwork.INTERNET)) {
            List<String> warmUp = QemuCommand.forLab("qemu", "tcg", spec(true, false).withLabId("canonical").withNetwork(mode),
                    image, canonical, canonical.overlay(), null, ROOT, WarmRam.saving(ram));
            List<String> restore = QemuCommand.forLab("qemu", "tcg", spec(true, false).withLabId("canonical")
                    .withNetwork(mode), image, canonical, canonical.overlay(), null, ROOT, new WarmRam.Mapping(ram, false, false));
            assertEquals(List.of("-incoming", "defer"), restore.subList(warmUp.size(), restore.size()));
            assertEquals(warmUp.stream().map(a -> a.replace("share=on", "share=off")).toList(), restore.subList(0, warmUp.size()),
                    "the state is saved from the shape it is restored into (the RAM file mapped privately)");
            String line = String.join(" ", restore);
            assertFalse(line.contains("virtio-net") || line.contains("-netdev") || line.contains("mac="), line);
            assertEquals("pcie-root-port,id=nicport,chassis=1", after(restore, "-device", "pcie-root-port"));
        }
        List<String> none = QemuCommand.forLab("qemu", "tcg", spec(true, false).withNetwork(VmNetwork.NONE), image, vm,
                null, null, ROOT, new WarmRam.Mapping(ram, false, false));
        assertFalse(String.join(" ", none).contains("pcie-root-port"), "no card will be plugged: no port either");
    }

    @Test
    void noneHasNoNetworkCardAtAll() {
        List<String> argv = QemuCommand.forLab("qemu", "tcg", spec(false, false).withNetwork(VmNetwork.NONE), image, vm,
                null, null, ROOT);
        assertFalse(argv.contains("-netdev") || argv.contains("-nic") || argv.contains("-net"));
        assertFalse(String.join(" ", argv).contains("virtio-net"));
        assertTrue(argv.contains("-nodefaults"), "no default network card either");
    }

    @Test
    void internetIsAnUnrestrictedUserNetwork() {
        List<String> argv = QemuCommand.forLab("qemu", "tcg", spec(false, false).withNetwork(VmNetwork.INTERNET), image,
                vm, null, null, ROOT);
        assertEquals("user,id=net0,ipv6=off,hostname=" + LabIdentity.of("lab-7").hostname(), after(argv, "-netdev"));
    }

    @Test
    void asRootQemuIsSandboxedAndSwitchesToItsUserOldAndNewSpelling() {
        List<String> argv = QemuCommand.forLab("qemu", "tcg", spec(false, false), image, vm, null, null, ROOT);
        assertEquals("on,obsolete=deny,spawn=deny,resourcecontrol=deny", after(argv, "-sandbox"));
        assertEquals("labvm", after(argv, "-runas"));
        List<String> qemu10 = QemuCommand.forLab("qemu", "tcg", spec(false, false), image, vm, null, null,
                Confinement.as("labvm", true));
        assertEquals("user=labvm", after(qemu10, "-run-with"));
        assertFalse(qemu10.contains("-runas"));
    }

    @Test
    void notRootQemuKeepsItsUserAndAlsoDeniesPrivilegeChanges() {
        List<String> argv = QemuCommand.forLab("qemu", "tcg", spec(false, false), image, vm, null, null,
                Confinement.asController());
        assertEquals("on,obsolete=deny,spawn=deny,resourcecontrol=deny,elevateprivileges=deny", after(argv, "-sandbox"));
        assertFalse(argv.contains("-runas") || argv.contains("-run-with"));
    }

    @Test
    void commasInPathsCannotInjectOptions() {
        assertEquals("/a,,b/disk.img", QemuCommand.opt(Path.of("/a,b/disk.img")));
    }

    @Test
    void consoleReadinessLogsTheSerialOutputBesideTheViewersSocket() {
        VmSpec spec = new VmSpec("lab-7", "student", null, 2, 512, null, true, false, 0,
                new Readiness(Readiness.CONSOLE, "lab:~# ", 300));
        List<String> argv = QemuCommand.forLab("qemu", "tcg", spec, image, vm, null, null, ROOT);
        assertEquals("socket,id=console,path=/var/lib/lab/vms/lab-7/serial.sock,server=on,wait=off"
                + ",logfile=/var/lib/lab/vms/lab-7/serial.log,logappend=on", after(argv, "-chardev"));
        assertEquals("chardev:console", after(argv, "-serial"));
    }

    @Test
    void consoleReadinessWithoutAConsoleStreamStillLogsTheSerialOutput() {
        VmSpec spec = new VmSpec("lab-7", "student", null, 2, 512, null, false, false, 0,
                new Readiness(Readiness.CONSOLE, "login: ", 300));
        List<String> argv = QemuCommand.forLab("qemu", "tcg", spec, image, vm, null, null, ROOT);
        assertEquals("null,id=console,logfile=/var/lib/lab/vms/lab-7/serial.log,logappend=on", after(argv, "-chardev"));
        assertFalse(String.join(" ", argv).contains("serial.sock"));
    }

    @Test
    void noReadinessLogsNothing() {
        List<String> argv = QemuCommand.forLab("qemu", "tcg", spec(true, false), image, vm, null, null, ROOT);
        assertFalse(String.join(" ", argv).contains("logfile"));
    }
    @Test
    void aColdBootHasAnonymousRamAndABalloonThatReturnsFreePages() {
        List<String> argv = QemuCommand.forLab("qemu", "tcg", spec(false, false), image, vm, null, null, ROOT);
        assertFalse(argv.contains("-object"), "no memory backend: anonymous RAM");
        assertTrue(argv.contains("virtio-balloon-pci,free-page-reporting=on"));
        assertFalse(argv.contains("-incoming"));
    }

    @Test
    void theWarmUpWritesItsRamToTheSharedFileAndARestoreMapsItPrivatelyWithTheSameBackend() {
        Path ram = Path.of("/var/lib/lab/warm/t-k/ram.bin");
        List<String> save = QemuCommand.forLab("qemu", "tcg", spec(false, false), image, vm, null, null, ROOT,
                WarmRam.saving(ram));
        List<String> restore = QemuCommand.forLab("qemu", "tcg", spec(false, false), image, vm, null, null, ROOT,
                new WarmRam.Mapping(ram, false, false));
        String backend = "memory-backend-file,id=ram,size=512M,mem-path=/var/lib/lab/warm/t-k/ram.bin,share=";
        assertEquals(backend + "on", after(save, "-object"));
        assertEquals(backend + "off", after(restore, "-object"), "same id and size, a private mapping");
        assertEquals("512M", after(restore, "-m"));
        for (List<String> argv : List.of(save, restore)) {
            assertEquals("memory-backend=ram", argv.get(argv.lastIndexOf("-machine") + 1));
            assertFalse(String.join(" ", argv).contains("virtio-balloon"),
                    "QEMU 7.2 would punch reported free pages out of the shared file");
        }
        assertFalse(save.contains("-incoming"));
        assertEquals("defer", after(restore, "-incoming"), "the load starts once x-ignore-shared is on");
    }

    @Test
    void whereQemuCanARestoreOpensTheRamFileReadOnly() {
        Path ram = Path.of("/var/lib/lab/warm/t-k/ram.bin");
        List<String> argv = QemuCommand.forLab("qemu", "tcg", spec(false, false), image, vm, null, null, ROOT,
                new WarmRam.Mapping(ram, false, true));
        assertEquals("memory-backend-file,id=ram,size=512M,mem-path=/var/lib/lab/warm/t-k/ram.bin,share=off,"
                + "readonly=on,rom=off", after(argv, "-object"), "a read-only descriptor, a writable private mapping");
    }
}
