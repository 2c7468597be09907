package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import org.labcontroller.runtime.VmStatus;
import org.labcontroller.runtime.VmStatus.Phase;

/**
 * Tells what a lab's VM is doing from what is on disk and in the process table only, so that the
 * answer is the same for the controller that launched the VM and for one started after it.
 *
 * <ul>
 *   <li>process alive, QMP says running: RUNNING; alive but QMP not answering yet: STARTING;</li>
 *   <li>no process, and a stop was requested or the VM was never launched: STOPPED;</li>
 *   <li>no process, QEMU left its pid file or wrote errors: FAILED, with the end of its stderr;</li>
 *   <li>no process, QEMU exited cleanly on its own (the guest powered off): STOPPED with a reason.</li>
 * </ul>
 */
final class VmObserver {
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(1);
    private final QmpSessions qmp;

    VmObserver(QmpSessions qmp) {
        this.qmp = qmp;
    }

    VmStatus status(VmDirectory vm) {
        String id = vm.labId();
        Optional<ProcessHandle> process = QemuProcess.find(vm);
        if (process.isPresent()) {
            if (vm.stopRequested()) {
                return new VmStatus(id, Phase.RUNNING, "The machine is shutting down.");
            }
            String state;
            try {
                state = qmp.call(vm, QMP_TIMEOUT, QmpClient::status);
            } catch (IOException notYet) {
                return new VmStatus(id, Phase.STARTING, null);
            }
            return switch (state) {
                case "running" -> new VmStatus(id, Phase.RUNNING, null);
                case "internal-error", "guest-panicked", "io-error" ->
                        new VmStatus(id, Phase.FAILED, "The machine stopped with QEMU state '" + state + "'.");
                default -> new VmStatus(id, Phase.STARTING, "QEMU state: " + state);
            };
        }
        if (vm.launch() == null || vm.stopRequested()) {
            return new VmStatus(id, Phase.STOPPED, null);
        }
        String tail = vm.stderrTail(5);
        if (!tail.isEmpty()) {
            return new VmStatus(id, Phase.FAILED, "QEMU exited unexpectedly: " + tail);
        }
        if (!Files.exists(vm.pidFile())) {
            // QEMU removes its pid file only on a clean exit: the guest powered itself off.
            return new VmStatus(id, Phase.STOPPED, "The machine powered itself off.");
        }
        return new VmStatus(id, Phase.FAILED, "QEMU process was killed.");
    }
}
