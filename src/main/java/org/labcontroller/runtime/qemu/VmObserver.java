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
 *   <li>process alive, QMP says running: RUNNING, ready unless its template's console pattern has
 *       not shown yet ({@link ConsoleReadiness}), with how it started ({@link StartNote}) as its
 *       reason; alive but QMP not answering yet: STARTING;</li>
 *   <li>process alive, the guest kernel panicked (pvpanic) or QEMU hit an error: FAILED;</li>
 *   <li>no process, and a stop was requested or the VM was never launched: STOPPED;</li>
 *   <li>no process, QEMU left its pid file or wrote errors: FAILED, with the end of its stderr;</li>
 *   <li>no process, QEMU exited cleanly on its own (the guest powered off): STOPPED,
 *       {@linkplain VmStatus#poweredOff() powered off}, with a reason.</li>
 * </ul>
 *
 * <p>Every status carries the restart generation recorded in the lab's {@link LaunchFile}.
 */
final class VmObserver {
    static final String POWERED_OFF = "The machine powered itself off.";
    static final String GUEST_PANICKED = "The lab's operating system crashed (kernel panic).";
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(1);
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(VmObserver.class);
    private final QmpSessions qmp;
    private final ExitWatch exits;
    private final ConsoleReadiness consoles;

    VmObserver(QmpSessions qmp, ExitWatch exits, ConsoleReadiness consoles) {
        this.qmp = qmp;
        this.exits = exits;
        this.consoles = consoles;
    }

    /**
     * A machine found paused outside any conversation of this controller (they hold the lab's QMP
     * lock, so none is under way): an earlier controller died between pausing it and letting it run
     * (a warm restore before its {@code cont}, a reset between {@code stop} and {@code cont}). Nothing
     * here pauses a machine for longer, so it is let run; the next look sees it running.
     */
    private VmStatus resumeLeftPaused(VmDirectory vm, int generation) {
        try {
            qmp.call(vm, QMP_TIMEOUT, session -> {
                session.execute("cont");
                return null;
            });
            LOG.infof("Lab %s was left paused (a controller stopped while restoring or resetting it); letting it run", vm.labId());
        } catch (IOException e) {
            LOG.debugf("Lab %s is paused and did not take cont yet: %s", vm.labId(), e.getMessage());
        }
        return new VmStatus(vm.labId(), Phase.STARTING, "The machine was paused; letting it run.", generation);
    }

    /**
     * A restored machine found waiting for its saved state ({@code -incoming defer}): an earlier
     * controller died between launching it and starting the load, or this one is about to start it;
     * the load is started unless it has been ({@link WarmRam#incoming}), and the next look finds the
     * machine paused, which is let run.
     */
    private VmStatus loadLeftWaiting(VmDirectory vm, int generation) {
        try {
            qmp.call(vm, QMP_TIMEOUT, session -> {
                WarmRam.incoming(session);
                return null;
            });
        } catch (IOException e) {
            LOG.debugf("Lab %s waits for its saved state and did not take the load yet: %s", vm.labId(), e.getMessage());
        }
        return new VmStatus(vm.labId(), Phase.STARTING, "Restoring the saved state.", generation);
    }

    /** The VM's status; a live QEMU found here is also watched for its exit (adopted, if need be). */
    VmStatus status(VmDirectory vm) {
        String id = vm.labId();
        int generation = vm.restartGeneration();
        Optional<ProcessHandle> process = QemuProcess.find(vm);
        if (process.isPresent()) {
            exits.track(id, process.get());
            if (vm.stopRequested()) {
                return new VmStatus(id, Phase.RUNNING, "The machine is shutting down.", generation);
            }
            String state;
            try {
                state = qmp.call(vm, QMP_TIMEOUT, QmpClient::status);
            } catch (IOException notYet) {
                return new VmStatus(id, Phase.STARTING, null, generation);
            }
            return switch (state) {
                case "running" -> {
                    PendingCard.plugLeftOver(qmp, vm);
                    yield consoles.ready(vm, process.get()) ? new VmStatus(id, Phase.RUNNING, StartNote.read(vm), generation)
                            : VmStatus.booting(id, ConsoleReadiness.WAITING, generation);
                }
                case "guest-panicked" -> new VmStatus(id, Phase.FAILED, GUEST_PANICKED, generation);
                case "internal-error" -> new VmStatus(id, Phase.FAILED,
                        "The machine stopped because QEMU hit an internal error.", generation);
                case "io-error" -> new VmStatus(id, Phase.FAILED,
                        "The machine stopped because its disk could not be read or written.", generation);
                case "paused", "postmigrate" -> resumeLeftPaused(vm, generation);
                case "inmigrate" -> loadLeftWaiting(vm, generation);
                default -> new VmStatus(id, Phase.STARTING, "QEMU state: " + state, generation);
            };
        }
        if (vm.launch() == null || vm.stopRequested()) {
            return new VmStatus(id, Phase.STOPPED, null, generation);
        }
        String tail = vm.stderrTail(5);
        if (!tail.isEmpty()) {
            return new VmStatus(id, Phase.FAILED, "QEMU exited unexpectedly: " + tail, generation);
        }
        if (!Files.exists(vm.pidFile())) {
            // Gone only after a clean exit (QEMU removes it, or ExitWatch for a QEMU this controller
            // launched): the guest powered itself off.
            return VmStatus.poweredOff(id, POWERED_OFF, generation);
        }
        return new VmStatus(id, Phase.FAILED, "QEMU process was killed.", generation);
    }
}
