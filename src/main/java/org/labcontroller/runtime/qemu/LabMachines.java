package org.labcontroller.runtime.qemu;

import java.util.Optional;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmSpec;

/**
 * The lifecycle calls of the QEMU runtime (start, stop, restart, delete), each idempotent, so the
 * reconcile loop may repeat any of them after a controller restart. Apart from {@link QemuRuntime},
 * which answers for the port as a whole (observing, streams, pictures, warm targets).
 *
 * <p>NOTE: lifecycle calls of one lab run one at a time under its lock; observing takes no lock
 * (it reads files that are only ever replaced whole, and QMP under QmpSessions' own lock).
 */
final class LabMachines {
    private static final Logger LOG = Logger.getLogger(LabMachines.class);

    private final VmControl control;
    private final QmpSessions qmp;
    private final ExitWatch exits;
    private final ConsoleReadiness consoles;
    private final LabLocks locks = new LabLocks();

    LabMachines(VmControl control, QmpSessions qmp, ExitWatch exits, ConsoleReadiness consoles) {
        this.control = control;
        this.qmp = qmp;
        this.exits = exits;
        this.consoles = consoles;
    }

    /** Launches the lab's QEMU, or adopts the one already running (a previous controller's). */
    void start(VmDirectory vm, VmSpec spec) throws RuntimeFailure {
        locks.run(vm, () -> {
            Optional<ProcessHandle> running = QemuProcess.find(vm);
            if (running.isPresent()) {
                if (vm.launchedPid() != running.get().pid()) {
                    vm.launchFile().writePid(running.get().pid()); // found through QEMU's own pid file
                }
                exits.track(vm.labId(), running.get()); // adopted, if a previous controller launched it
                consoles.watch(vm, running.get());
                vm.cancelStop(); // already running or booting; wanted running again after a failed stop
                return;
            }
            Process launched = control.launch(vm, spec);
            exits.track(vm.labId(), launched, vm.pidFile());
            consoles.watch(vm, launched.toHandle());
        });
    }

    void stop(VmDirectory vm) throws RuntimeFailure {
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

    /**
     * Resets the running VM and records {@code spec}'s generation, unless the VM has reached it
     * already; relaunches it when QEMU does not take the reset; starts it when it is not running.
     *
     * <p>NOTE: the recorded generation is read and written under the lab's lock, so concurrent or
     * repeated restarts for one generation reset the VM once.
     */
    void restart(VmDirectory vm, VmSpec spec) throws RuntimeFailure {
        locks.run(vm, () -> {
            Optional<ProcessHandle> process = QemuProcess.find(vm);
            if (process.isPresent()) {
                if (vm.restartGeneration() >= spec.restartGeneration()) {
                    return; // this restart happened already, maybe before a controller restart
                }
                if (control.reset(vm)) {
                    consoles.rebooted(vm.labId());
                    vm.recordGeneration(spec.restartGeneration());
                    return;
                }
                vm.requestStop();
                control.end(vm, process.get());
            }
            start(vm, spec);
        });
    }

    void delete(VmDirectory vm) throws RuntimeFailure {
        locks.run(vm, () -> {
            Optional<ProcessHandle> process = QemuProcess.find(vm);
            if (process.isPresent() && !QemuProcess.kill(process.get())) {
                throw new RuntimeFailure("QEMU of lab " + vm.labId() + " could not be killed.");
            }
            control.release(vm);
            vm.deleteAll();
            qmp.forget(vm.labId());
            LOG.infof("Deleted lab %s", vm.labId());
        });
    }
}
