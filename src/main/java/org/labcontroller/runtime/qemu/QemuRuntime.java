package org.labcontroller.runtime.qemu;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.InvalidImageException;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.runtime.Readiness;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.StreamUnavailableException;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus;

/**
 * The local runtime: one {@code qemu-system-x86_64} process per lab on this host. It exists so the
 * controller runs labs with nothing but QEMU installed; all state lives in files under the state
 * directory (see {@link VmDirectory}), and VMs outlive the controller, which adopts them on restart.
 */
@ApplicationScoped
@jakarta.enterprise.inject.Typed(QemuRuntime.class)
public class QemuRuntime implements LabRuntime {
    private static final Logger LOG = Logger.getLogger(QemuRuntime.class);

    private final QemuConfig config;
    private final Path stateDir;
    private final ImageFiles images;
    private final QmpSessions qmp = new QmpSessions();
    private final ExitWatch exits = new ExitWatch();
    private final VmControl control;
    private final WarmCache warmCache;
    private final ConsoleReadiness consoles = new ConsoleReadiness();
    private final VmObserver observer = new VmObserver(qmp, exits, consoles);
    private final VmScreens screens;
    private final QemuVersion version;
    private final LabMachines machines;

    /** The CDI constructor. */
    @Inject
    public QemuRuntime(QemuConfig config, Clock clock) {
        this(config, Duration.ofSeconds(30), Duration.ofSeconds(30), clock, WarmSetup.background());
    }

    /** What tests use, with a hand-written configuration. */
    public QemuRuntime(QemuConfig config) {
        this(config, Clock.systemUTC());
    }

    QemuRuntime(QemuConfig config, Duration launchTimeout, Duration kvmProbeTimeout) {
        this(config, launchTimeout, kvmProbeTimeout, Clock.systemUTC(), WarmSetup.background());
    }

    /** With the executor that runs templates' warm-up boots ({@link WarmUp}), which tests control. */
    QemuRuntime(QemuConfig config, Duration launchTimeout, Duration kvmProbeTimeout, Clock clock, Executor warmUps) {
        this.config = config;
        this.screens = new VmScreens(qmp, Duration.ofSeconds(5), config.user());
        this.stateDir = Path.of(config.stateDir()).toAbsolutePath().normalize();
        this.images = new ImageFiles(Path.of(config.imageDir()));
        this.version = new QemuVersion(config.binary());
        this.warmCache = WarmSetup.open(config, clock);
        this.control = new VmControl(config, images, qmp, version, launchTimeout, kvmProbeTimeout, warmCache, warmUps);
        this.machines = new LabMachines(control, qmp, exits, consoles);
    }

    @Override
    public String name() {
        return "qemu";
    }

    /** The demo's prompt (PS1 {@code '\h:\w# '}): matches hostname {@code lab} and a {@link LabIdentity}'s. */
    static final String DEMO_PROMPT = "lab:~# ";

    /** The kernel and busybox initramfs that scripts/demo-image.sh builds into the image directory's demo/. */
    @Override
    public VmImage demoImage() {
        return new VmImage("demo/vmlinuz", "demo/initrd.img", null, "console=tty0 console=ttyS0 quiet no_timer_check", null);
    }

    /** The demo is usable once its shell prompt shows on the serial console. */
    @Override
    public Readiness demoReadiness() {
        return new Readiness(Readiness.CONSOLE, DEMO_PROMPT, Readiness.DEFAULT_TIMEOUT_SECONDS);
    }

    /** QEMU judges a console pattern (its serial output is logged) or nothing; it has no guest agent channel. */
    @Override
    public Set<String> readinessModes() {
        return Set.of(Readiness.NONE, Readiness.CONSOLE);
    }

    @Override
    public void validate(VmImage image) throws InvalidImageException {
        images.resolve(image);
    }

    /** Prepares each wanted template's saved state ahead of use; the sizes are the KubeVirt pools'. */
    @Override
    public void keepWarm(java.util.List<org.labcontroller.runtime.WarmTarget> targets) {
        targets.forEach(t -> control.prepareWarm(t.shape()));
    }

    @Override
    public void start(VmSpec spec) throws RuntimeFailure {
        machines.start(directory(spec.labId()), spec);
    }

    @Override
    public void stop(String labId) throws RuntimeFailure {
        machines.stop(directory(labId));
    }

    /** Resets the running VM once per generation; see {@link LabMachines#restart}. */
    @Override
    public void restart(VmSpec spec) throws RuntimeFailure {
        machines.restart(directory(spec.labId()), spec);
    }

    @Override
    public void delete(String labId) throws RuntimeFailure {
        machines.delete(directory(labId));
    }

    void onShutdown(@Observes(notifyObserver = jakarta.enterprise.event.Reception.IF_EXISTS) ShutdownEvent event) {
        if (!config.removeVmsAtShutdown()) {
            return;
        }
        try {
            for (VmDirectory vm : VmDirectory.all(stateDir)) {
                delete(vm.labId());
            }
        } catch (IOException | RuntimeFailure e) {
            LOG.warnf("Could not remove every VM at shutdown: %s", e.getMessage());
        }
        WarmSetup.stopWarmUps(warmCache);
    }

    @Override
    public Map<String, VmStatus> observe() throws RuntimeFailure {
        Map<String, VmStatus> result = new LinkedHashMap<>();
        try {
            for (VmDirectory vm : VmDirectory.all(stateDir)) {
                result.put(vm.labId(), observer.status(vm));
            }
        } catch (IOException e) {
            throw new RuntimeFailure("Cannot read the VM state directory " + stateDir + ": " + e.getMessage(), e);
        }
        return result;
    }

    /** The lab's status read now; null when it has no VM directory or the id cannot be a lab's. */
    @Override
    public VmStatus observe(String labId) throws RuntimeFailure {
        if (java.nio.file.Files.exists(stateDir) && !java.nio.file.Files.isDirectory(stateDir)) {
            // Not "no VM": an unreadable state must stop the loop, not make it launch a second QEMU.
            throw new RuntimeFailure("Cannot read the VM state directory " + stateDir + ": it is not a directory");
        }
        VmDirectory vm;
        try {
            vm = VmDirectory.of(stateDir, labId);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return vm.exists() ? observer.status(vm) : null;
    }

    /**
     * Calls {@code changed} with the lab id once for every exit of a QEMU this runtime launched or
     * found running (through start, restart or observe), and when a booting guest's console
     * pattern shows.
     */
    @Override
    public void watch(Consumer<String> changed) {
        exits.listen(changed);
        consoles.listen(changed);
    }

    @Override
    public ByteChannel open(String labId, StreamKind kind) throws StreamUnavailableException, IOException {
        return VmStreams.open(running(labId), kind);
    }

    @Override
    public boolean screenshots() {
        return true;
    }

    /** QMP {@code screendump} as PNG into a transient private file (see {@link VmScreens}). */
    @Override
    public byte[] screenshot(String labId) throws StreamUnavailableException, RuntimeFailure {
        return screens.screendump(running(labId));
    }

    /** The end of the current boot's {@code serial.log} (console readiness keeps it), from a line start. */
    @Override
    public byte[] consoleHistory(String labId, int maxBytes) {
        try {
            return BootFiles.tail(VmDirectory.of(stateDir, labId), maxBytes);
        } catch (IllegalArgumentException | IOException e) {
            return new byte[0];
        }
    }

    @Override
    public boolean ready() {
        return version.works();
    }

    /** The directory of a lab whose stream or screen is asked for; an id no lab can have is not running. */
    private VmDirectory running(String labId) throws StreamUnavailableException {
        try {
            return VmDirectory.of(stateDir, labId);
        } catch (IllegalArgumentException e) {
            throw new StreamUnavailableException("Lab " + labId + " is not running.");
        }
    }

    private VmDirectory directory(String labId) throws RuntimeFailure {
        try {
            return VmDirectory.of(stateDir, labId);
        } catch (IllegalArgumentException e) {
            throw RuntimeFailure.permanent(e.getMessage(), e); // the id will not become valid by retrying
        }
    }
}
