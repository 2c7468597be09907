package org.labcontroller.runtime.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.labcontroller.runtime.Readiness;
import org.labcontroller.runtime.VmNetwork;
import org.labcontroller.runtime.VmSpec;

/**
 * Builds the {@code qemu-system-x86_64} argument list of a lab's VM. Kept free of side effects so
 * the exact command line can be read and tested on its own.
 *
 * <p>The VM is headless: no default devices, no user config, serial console and screen offered only
 * as unix sockets in the lab's socket directory, a QMP socket for control, the network card of the
 * template's mode with the lab's own MAC and hostname ({@link LabIdentity}), a seccomp sandbox and a
 * user switch ({@link Confinement}), and a pvpanic device so that a crashed guest shows as such
 * ({@code guest-panicked}) instead of hanging.
 */
final class QemuCommand {
    /** Kernel command line when the template gives none: console on the screen and the serial port. */
    static final String DEFAULT_CMDLINE = "console=tty0 console=ttyS0";

    private QemuCommand() {
    }

    /** The full command line of a lab's VM; {@code overlay} and {@code seed} may be null. */
    static List<String> forLab(String binary, String accel, VmSpec spec, ImageFiles.Resolved image,
                               VmDirectory vm, Path overlay, Path seed, Confinement confinement) {
        return forLab(binary, accel, spec, image, vm, overlay, seed, confinement, null);
    }

    /**
     * As above; {@code ram} null is a cold boot (anonymous RAM, and a virtio-balloon that returns the
     * guest's free pages); otherwise the RAM is a warm state's file ({@link WarmRam}): the warm-up
     * machine's, or a restore's, which does not boot but waits ({@code -incoming defer}) for a saved
     * state on its standard input (a descriptor the controller opened: QEMU 7.2 has no {@code file:}
     * source), which {@link WarmRestore} feeds it.
     */
    static List<String> forLab(String binary, String accel, VmSpec spec, ImageFiles.Resolved image,
                               VmDirectory vm, Path overlay, Path seed, Confinement confinement, WarmRam.Mapping ram) {
        List<String> argv = new ArrayList<>(machine(binary, accel, spec));
        if (ram != null) {
            argv.addAll(ram.args(memoryMb(spec)));
        }
        argv.addAll(confinement.args());
        argv.addAll(List.of("-name", vm.processName(), "-pidfile", vm.pidFile().toString()));
        argv.addAll(List.of("-qmp", "unix:" + opt(vm.qmpSocket()) + ",server=on,wait=off"));
        // Console readiness: QEMU copies the guest's serial output to a file, viewers or not.
        String log = spec.readiness().judgedBy(Readiness.CONSOLE)
                ? ",logfile=" + opt(BootFiles.log(vm)) + ",logappend=on" : "";
        if (spec.console()) {
            argv.addAll(List.of("-chardev", "socket,id=console,path=" + opt(vm.serialSocket()) + ",server=on,wait=off" + log,
                    "-serial", "chardev:console"));
        } else if (!log.isEmpty()) {
            argv.addAll(List.of("-chardev", "null,id=console" + log, "-serial", "chardev:console"));
        } else {
            argv.addAll(List.of("-serial", "null"));
        }
        if (spec.vnc()) {
            argv.addAll(List.of("-device", "VGA", "-vnc", "unix:" + opt(vm.vncSocket())));
        }
        // A guest kernel panic reaches QEMU through pvpanic and pauses the VM in state guest-panicked.
        argv.addAll(List.of("-device", "pvpanic", "-action", "panic=pause"));
        if (ram == null) {
            // Free page reporting: the guest hands back pages it freed, and QEMU drops them. Never with
            // a warm state's RAM file: QEMU 7.2 would punch the freed pages out of the shared file.
            argv.addAll(List.of("-device", "virtio-balloon-pci,free-page-reporting=on"));
        }
        // A cold boot's card carries the lab's identity; a warm shape has only a free port for it.
        argv.addAll(ram == null ? LabIdentity.of(spec.labId()).coldNetwork(spec.network())
                : LabIdentity.hotplugSlot(spec.network()));
        boot(argv, image);
        if (overlay != null) {
            // file.auto-read-only=off: -drive turns it on, and then QEMU reopens the overlay by its path
            // when a migration ends (a warm state's save) or starts the machine (its restore), which
            // the QEMU user may not open; off, it keeps the descriptor it opened before the user switch.
            argv.addAll(List.of("-drive", "if=virtio,format=qcow2,file.auto-read-only=off,file=" + opt(overlay)));
        }
        if (seed != null) {
            // NoCloud seed: the lab's own ISO image, volume label "cidata", read-only.
            argv.addAll(List.of("-drive", "if=virtio,format=raw,readonly=on,file=" + opt(seed)));
        }
        if (ram != null && !ram.save()) {
            argv.addAll(List.of("-incoming", "defer"));
        }
        return argv;
    }

    /**
     * A throwaway boot of the image whose serial console goes to stdout, used to probe whether an
     * accelerator really runs guests. Disk writes go to a temporary snapshot, never to the template.
     * Confined like a lab: the image is the template's.
     */
    static List<String> forProbe(String binary, String accel, VmSpec spec, ImageFiles.Resolved image,
                                 Confinement confinement) {
        List<String> argv = new ArrayList<>(machine(binary, accel, spec));
        argv.addAll(confinement.args());
        argv.addAll(List.of("-name", "lab-probe", "-serial", "stdio", "-net", "none"));
        boot(argv, image);
        if (image.disk() != null) {
            argv.addAll(List.of("-drive", "if=virtio,snapshot=on,file=" + opt(image.disk())));
        }
        return argv;
    }

    private static List<String> machine(String binary, String accel, VmSpec spec) {
        return List.of(binary, "-nodefaults", "-no-user-config", "-display", "none",
                "-machine", "q35,accel=" + accel,
                "-smp", Integer.toString(Math.max(1, spec.cpus())),
                "-m", memoryMb(spec) + "M");
    }

    private static int memoryMb(VmSpec spec) {
        return Math.max(64, spec.memoryMb());
    }

    private static void boot(List<String> argv, ImageFiles.Resolved image) {
        if (image.kernel() == null) {
            return;
        }
        argv.addAll(List.of("-kernel", image.kernel().toString()));
        if (image.initrd() != null) {
            argv.addAll(List.of("-initrd", image.initrd().toString()));
        }
        argv.addAll(List.of("-append", image.cmdline() == null ? DEFAULT_CMDLINE : image.cmdline()));
    }

    /** A path as a QEMU option value: commas are doubled so they cannot start another option. */
    static String opt(Path path) {
        return path.toString().replace(",", ",,");
    }
}
