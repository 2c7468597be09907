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
    /**
     * What the machine is launched for. A warm-up machine (saved later) and a restored one have the
     * same shape, which holds nothing of a lab's own: no network card, only a free port for the card
     * a restored lab gets once it runs ({@link LabIdentity#plug}).
     */
    enum Shape {
        /** A lab's boot: its network card, with its identity, on the command line. */
        COLD,
        /** A template's warm-up boot, to be saved. */
        WARM_UP,
        /** A restore: waits for a saved state on its standard input. */
        RESTORE
    }

    /** Kernel command line when the template gives none: console on the screen and the serial port. */
    static final String DEFAULT_CMDLINE = "console=tty0 console=ttyS0";

    private QemuCommand() {
    }

    /** The full command line of a lab's VM; {@code overlay} and {@code seed} may be null. */
    static List<String> forLab(String binary, String accel, VmSpec spec, ImageFiles.Resolved image,
                               VmDirectory vm, Path overlay, Path seed, Confinement confinement) {
        return forLab(binary, accel, spec, image, vm, overlay, seed, confinement, Shape.COLD);
    }

    /**
     * As above, of {@code shape}; a {@link Shape#RESTORE} machine does not boot but waits for a saved
     * state on its standard input ({@code -incoming fd:0}, a descriptor the controller opened: QEMU
     * 7.2 has no {@code file:} source), which {@link WarmRestore} feeds it.
     */
    static List<String> forLab(String binary, String accel, VmSpec spec, ImageFiles.Resolved image,
                               VmDirectory vm, Path overlay, Path seed, Confinement confinement, Shape shape) {
        List<String> argv = new ArrayList<>(machine(binary, accel, spec));
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
        argv.addAll(shape == Shape.COLD ? LabIdentity.of(spec.labId()).coldNetwork(spec.network())
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
        if (shape == Shape.RESTORE) {
            argv.addAll(List.of("-incoming", "fd:0"));
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
                "-m", Math.max(64, spec.memoryMb()) + "M");
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
