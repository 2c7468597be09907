package org.labcontroller.runtime.qemu;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.InvalidImageException;
import org.labcontroller.runtime.LabRuntime;
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
    private final VmControl control;
    private final VmObserver observer = new VmObserver(qmp);
    private final QemuVersion version;
    // NOTE: lifecycle calls of one lab run one at a time under its lock; observe() takes no lock.
    private final LabLocks locks = new LabLocks();

    /** The CDI constructor; also what tests use, with a hand-written configuration. */
    @Inject
    public QemuRuntime(QemuConfig config) {
        this(config, Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    QemuRuntime(QemuConfig config, Duration launchTimeout, Duration kvmProbeTimeout) {
        this.config = config;
        this.stateDir = Path.of(config.stateDir()).toAbsolutePath().normalize();
        this.images = new ImageFiles(Path.of(config.imageDir()));
        this.control = new VmControl(config, images, qmp, launchTimeout, kvmProbeTimeout);
        this.version = new QemuVersion(config.binary());
    }

    @Override
    public String name() {
        return "qemu";
    }

    @Override
    public void validate(VmImage image) throws InvalidImageException {
        images.resolve(image);
    }

    @Override
    public void start(VmSpec spec) throws RuntimeFailure {
        VmDirectory vm = directory(spec.labId());
        locks.run(vm, () -> {
            if (QemuProcess.find(vm).isPresent()) {
                vm.cancelStop(); // already running or booting; wanted running again after a failed stop
                return;
            }
            control.launch(vm, spec);
        });
    }

    @Override
    public void stop(String labId) throws RuntimeFailure {
        VmDirectory vm = directory(labId);
        locks.run(vm, () -> {
            if (!vm.exists()) {
                return;
            }
            vm.requestStop();
            Optional<ProcessHandle> process = QemuProcess.find(vm);
            if (process.isPresent()) {
                control.end(vm, process.get());
            }
            vm.clearStale();
        });
    }

    @Override
    public void restart(VmSpec spec) throws RuntimeFailure {
        VmDirectory vm = directory(spec.labId());
        locks.run(vm, () -> {
            Optional<ProcessHandle> process = QemuProcess.find(vm);
            if (process.isPresent()) {
                if (control.reset(vm)) {
                    return;
                }
                vm.requestStop();
                control.end(vm, process.get());
            }
            start(spec);
        });
    }

    @Override
    public void delete(String labId) throws RuntimeFailure {
        VmDirectory vm = directory(labId);
        locks.run(vm, () -> {
            Optional<ProcessHandle> process = QemuProcess.find(vm);
            if (process.isPresent() && !QemuProcess.kill(process.get())) {
                throw new RuntimeFailure("QEMU of lab " + labId + " could not be killed.");
            }
            vm.deleteAll();
            qmp.forget(labId);
            LOG.infof("Deleted lab %s", labId);
        });
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

    @Override
    public ByteChannel open(String labId, StreamKind kind) throws StreamUnavailableException, IOException {
        VmDirectory vm;
        try {
            vm = VmDirectory.of(stateDir, labId);
        } catch (IllegalArgumentException e) {
            throw new StreamUnavailableException("Lab " + labId + " is not running.");
        }
        return VmStreams.open(vm, kind);
    }

    @Override
    public boolean ready() {
        return version.works();
    }

    private VmDirectory directory(String labId) throws RuntimeFailure {
        try {
            return VmDirectory.of(stateDir, labId);
        } catch (IllegalArgumentException e) {
            throw new RuntimeFailure(e.getMessage(), e);
        }
    }
}
