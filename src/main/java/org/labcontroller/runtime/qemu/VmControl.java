package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.InvalidImageException;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmNetwork;
import org.labcontroller.runtime.VmSpec;

/**
 * The steps that change one VM: prepare its files and launch QEMU, reset it, end it. Split from
 * {@link QemuRuntime}, which decides when they run (under the lab's lock) and answers the port.
 */
final class VmControl {
    private static final Logger LOG = Logger.getLogger(VmControl.class);
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(2);

    private final QemuConfig config;
    private final ImageFiles images;
    private final DiskOverlay disks;
    private final QemuLauncher launcher;
    private final AccelProbe probe;
    private final QmpSessions qmp;
    private final QemuVersion version;
    private final SeedImage seeds = new SeedImage();
    private final LabNetns netns = new LabNetns();
    private final WarmStart warm;
    private final Duration launchTimeout;

    VmControl(QemuConfig config, ImageFiles images, QmpSessions qmp, QemuVersion version, Duration launchTimeout,
              Duration kvmProbeTimeout, WarmCache cache, Executor background) {
        this.config = config;
        this.launchTimeout = launchTimeout;
        this.version = version;
        this.images = images;
        this.qmp = qmp;
        this.disks = new DiskOverlay(config.binary());
        this.launcher = new QemuLauncher(config.maxBooting(), launchTimeout);
        this.probe = new AccelProbe(config.binary(), kvmProbeTimeout);
        WarmUp warmUp = new WarmUp(config.binary(), launcher, qmp, disks, cache, launchTimeout);
        this.warm = new WarmStart(config.warm().enabled(), config.binary(), version, cache, warmUp, background);
    }

    /**
     * Writes the VM's files and launches its QEMU; returns the process. Restores the template's
     * saved state when {@link WarmStart} allows it; a restore that fails is a cold boot, with why.
     */
    Process launch(VmDirectory vm, VmSpec spec) throws RuntimeFailure, IOException {
        ImageFiles.Resolved image;
        try {
            image = images.resolve(spec.image());
        } catch (InvalidImageException e) {
            throw RuntimeFailure.permanent("The lab's image cannot be used (" + e.field() + "): " + e.getMessage(), e);
        }
        Confinement confinement = Confinement.detect(config.user(), version);
        vm.create();
        vm.clearStale();
        return launcher.withPermit(spec.labId(), () -> {
            String accel = accel(spec, image, confinement);
            WarmStart.Plan plan = warm.plan(vm, spec, image, accel, confinement);
            if (plan.warm()) {
                try {
                    return restore(vm, spec, image, accel, confinement, plan);
                } catch (RuntimeFailure | IOException e) {
                    plan = warm.unusable(plan.target(), plan.entry().dir(), "QEMU could not restore it: " + e.getMessage());
                    deleteQuietly(vm.overlay()); // the saved disk's copy: a cold boot starts from a fresh overlay
                }
            }
            return boot(vm, spec, image, accel, confinement, plan.note());
        });
    }

    /**
     * Prepares a template's saved state ahead of use ({@link WarmStart#prepare}); an image or an
     * accelerator that cannot be used is left for the first start of a lab to report.
     */
    void prepareWarm(VmSpec shape) {
        try {
            ImageFiles.Resolved image = images.resolve(shape.image());
            Confinement confinement = Confinement.detect(config.user(), version);
            warm.prepare(shape, image, accel(shape, image, confinement), confinement);
        } catch (InvalidImageException | RuntimeFailure | RuntimeException e) {
            LOG.debugf("Template %s not prepared ahead of use: %s", shape.templateId(), e.getMessage());
        }
    }

    private Process boot(VmDirectory vm, VmSpec spec, ImageFiles.Resolved image, String accel, Confinement confinement,
                         String note) throws RuntimeFailure {
        try {
            Path overlay = null;
            if (image.disk() != null) {
                overlay = vm.overlay();
                disks.ensure(image.disk(), overlay);
            }
            Path seed = seeds.write(vm, spec.cloudInit());
            BootFiles.launching(vm, spec.readiness());
            StartNote.write(vm, note);
            List<String> argv = network(vm, spec);
            argv.addAll(QemuCommand.forLab(config.binary(), accel, spec, image, vm, overlay, seed, confinement));
            return launcher.launch(vm, argv, spec.console(), spec.vnc(), spec.restartGeneration());
        } catch (IOException e) {
            throw new RuntimeFailure("Could not prepare the files of lab " + vm.labId() + ": " + e.getMessage(), e);
        }
    }

    private Process restore(VmDirectory vm, VmSpec spec, ImageFiles.Resolved image, String accel, Confinement confinement,
                            WarmStart.Plan plan) throws RuntimeFailure, IOException {
        WarmRestore.prepare(vm, plan.entry(), spec.readiness());
        seeds.write(vm, null); // none: a template with cloud-init never starts warm
        StartNote.write(vm, plan.note());
        PendingCard.record(vm, spec.network());
        List<String> argv = network(vm, spec);
        argv.addAll(QemuCommand.forLab(config.binary(), accel, spec, image, vm, image.disk() == null ? null : vm.overlay(),
                null, confinement, WarmRam.restoring(plan.entry().ram(), version)));
        Process process = launcher.launch(vm, argv, spec.console(), spec.vnc(), spec.restartGeneration(),
                plan.entry().state());
        try {
            WarmRestore.complete(qmp, vm, launchTimeout);
            PendingCard.plug(qmp, vm, spec.network()); // the lab's own card: none was saved
            LOG.infof("Restored lab %s from warm state %s", vm.labId(), plan.entry().key());
            return process;
        } catch (IOException e) {
            QemuProcess.kill(process.toHandle());
            String tail = vm.stderrTail(2);
            throw new IOException(tail.isEmpty() ? e.getMessage() : tail, e);
        }
    }

    /** The command prefix of the template's network mode: an internet lab runs in its own namespace. */
    private List<String> network(VmDirectory vm, VmSpec spec) throws RuntimeFailure {
        List<String> argv = new ArrayList<>();
        if (spec.network() == VmNetwork.INTERNET) {
            argv.addAll(netns.create(vm));
        } else {
            netns.remove(vm); // the template may have changed since the last launch
        }
        return argv;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("Could not remove %s: %s", file, e.getMessage());
        }
    }

    /** Removes what the lab has outside its directory (an internet lab's network namespace). */
    void release(VmDirectory vm) throws RuntimeFailure {
        netns.remove(vm);
    }

    /**
     * A hardware reset through QMP, then continue; false if QEMU did not take it. The machine is
     * paused while its boot files start a new boot, so no output of the old boot counts for the new.
     */
    boolean reset(VmDirectory vm) {
        try {
            qmp.call(vm, QMP_TIMEOUT, session -> {
                session.execute("stop");
                BootFiles.reset(vm);
                StartNote.write(vm, null); // a reboot of its own machine: neither warm nor a fresh cold boot
                session.execute("system_reset");
                session.execute("cont");
                return null;
            });
            LOG.infof("Reset lab %s", vm.labId());
            return true;
        } catch (IOException e) {
            LOG.warnf("Lab %s did not take a reset (%s); relaunching it", vm.labId(), e.getMessage());
            return false;
        }
    }

    /** Asks QEMU to quit (SIGTERM if QMP does not answer), waits, then kills it. */
    void end(VmDirectory vm, ProcessHandle process) throws RuntimeFailure {
        try {
            qmp.call(vm, QMP_TIMEOUT, session -> session.execute("quit"));
        } catch (IOException e) {
            process.destroy();
        }
        if (!QemuProcess.awaitExit(process, config.stopTimeout())) {
            LOG.warnf("Lab %s did not quit within %s; killing it", vm.labId(), config.stopTimeout());
            if (!QemuProcess.kill(process)) {
                throw new RuntimeFailure("QEMU of lab " + vm.labId() + " could not be killed.");
            }
        }
        LOG.infof("Stopped lab %s", vm.labId());
    }

    private String accel(VmSpec spec, ImageFiles.Resolved image, Confinement confinement) {
        return switch (config.accel()) {
            case TCG -> "tcg";
            case KVM -> "kvm";
            case AUTO -> probe.choose(spec, image, confinement);
        };
    }
}
