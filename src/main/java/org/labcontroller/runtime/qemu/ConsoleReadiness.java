package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.Readiness;

/**
 * Tells whether a running lab's guest is usable by its console readiness (its serial output showed
 * the template's pattern), and wakes the reconcile loop the moment it is. QEMU copies the serial
 * output to the lab's {@code serial.log} whether or not anyone views the console, so watching never
 * takes the console from a viewer; everything it knows is on disk ({@link BootFiles}), so a
 * restarted controller answers the same.
 *
 * <p>While any watched guest is booting, one daemon thread scans each booting guest's new output
 * every {@link #TICK} (a bounded read) and calls the listener with the lab id when the pattern
 * shows; it also keeps every watched log under {@link #MAX_LOG} bytes (the log grows with all the
 * console's output for the machine's lifetime), and stops when nothing is watched.
 */
final class ConsoleReadiness {
    static final String WAITING = "Booting: waiting for the console prompt.";
    static final Duration TICK = Duration.ofMillis(100);
    static final long MAX_LOG = 1024 * 1024;
    private static final int BOUND_EVERY = 50;
    private static final Logger LOG = Logger.getLogger(ConsoleReadiness.class);

    /** One watched machine; its scan and its mark are only touched under its own monitor. */
    private static final class Watched {
        final VmDirectory vm;
        final ProcessHandle process;
        final LogScan scan = new LogScan();
        volatile boolean ready;

        Watched(VmDirectory vm, ProcessHandle process) {
            this.vm = vm;
            this.process = process;
        }

        /** Whether its current boot is ready; scans new output and marks the boot when the pattern shows. */
        synchronized boolean check() throws IOException {
            BootFiles.Boot boot = BootFiles.boot(vm);
            if (boot == null || !boot.judgedBy(Readiness.CONSOLE)) {
                ready = true;
            } else {
                ready = BootFiles.marked(vm, boot) || scanned(boot);
            }
            return ready;
        }

        private boolean scanned(BootFiles.Boot boot) throws IOException {
            if (!scan.found(BootFiles.log(vm), boot)) {
                return false;
            }
            BootFiles.mark(vm, boot);
            return true;
        }

        synchronized void bound() throws IOException {
            if (Files.exists(BootFiles.log(vm)) && Files.size(BootFiles.log(vm)) > MAX_LOG) {
                BootFiles.truncate(vm);
                scan.truncated(); // it keeps its tail and reads on from the new start
            }
        }
    }

    // NOTE: lab id -> watch, added by observers and launches on any thread, removed by the timer
    // thread when the process is gone or replaced; the timer is started and stopped under this
    // object's monitor, so a watch added while it stops starts it again.
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    private volatile Consumer<String> listener;
    private ScheduledExecutorService timer;
    // NOTE: only the timer thread counts its rounds.
    private long ticks;

    void listen(Consumer<String> changed) {
        this.listener = changed;
    }

    /**
     * Whether the running machine of {@code vm} (process {@code process}) is ready; watches it from
     * now on. Reads at most {@link LogScan#MAX_READ} bytes of new output.
     */
    boolean ready(VmDirectory vm, ProcessHandle process) {
        Watched w = watch(vm, process);
        try {
            return w == null || w.check();
        } catch (IOException e) {
            LOG.debugf("Cannot read the console log of lab %s yet: %s", vm.labId(), e.getMessage());
            return false;
        }
    }

    /**
     * Watches a machine just launched or found running whose boot waits for a console pattern
     * (idempotent for one process); null, watching nothing, when it does not.
     */
    Watched watch(VmDirectory vm, ProcessHandle process) {
        BootFiles.Boot boot = BootFiles.boot(vm);
        if (boot == null || !boot.judgedBy(Readiness.CONSOLE)) {
            return null;
        }
        Watched w = watched.compute(vm.labId(), (id, old) -> old != null && old.process.pid() == process.pid() ? old
                : new Watched(vm, process));
        startTimer();
        return w;
    }

    private synchronized void startTimer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("qemu-console-readiness").factory());
            timer.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized boolean stopTimerIfIdle() {
        if (watched.isEmpty() && timer != null) {
            timer.shutdown();
            timer = null;
            return true;
        }
        return false;
    }

    /** One round on the timer thread; never throws (a throw would cancel the schedule). */
    private void tick() {
        boolean bound = ++ticks % BOUND_EVERY == 0;
        for (Watched w : watched.values()) {
            try {
                if (!w.process.isAlive()) {
                    watched.remove(w.vm.labId(), w);
                    continue;
                }
                if (!w.ready && w.check()) {
                    notify(w.vm.labId());
                }
                if (bound) {
                    w.bound();
                }
            } catch (IOException | RuntimeException | StackOverflowError e) {
                // A pattern that backtracks deeply can overflow the stack on long output: that lab
                // stays booting (and times out), the others are still watched.
                LOG.debugf("Console readiness of lab %s: %s", w.vm.labId(), e.getMessage());
            }
        }
        stopTimerIfIdle();
    }

    /** The machine of {@code labId} was reset: its new boot is not ready until its output says so. */
    void rebooted(String labId) {
        Watched w = watched.get(labId);
        if (w != null) {
            w.ready = false;
        }
    }

    private void notify(String labId) {
        Consumer<String> changed = listener;
        if (changed != null) {
            changed.accept(labId);
        }
    }
}
