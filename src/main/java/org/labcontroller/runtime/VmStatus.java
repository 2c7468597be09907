package org.labcontroller.runtime;

/**
 * What a runtime observed of one lab's machine; {@code reason} is a readable sentence or null (for
 * a running, ready machine it may say how the machine started, e.g. restored from a saved state or
 * booted cold and why, which the lab shows as its reason).
 * {@code restartGeneration} is the restart generation the machine was last (re)started for, as the
 * runtime itself recorded it (launch file, VM annotation), so a restart that completed before the
 * controller could write it down is never repeated; 0 when the runtime has no record.
 * {@code ready} tells whether a RUNNING machine is usable by its template's {@link Readiness}
 * (false while it boots; then {@code reason} says what it waits for); it is false in every other
 * phase. {@code poweredOff} marks a STOPPED machine whose guest shut itself down (QEMU exited
 * cleanly unasked, a KubeVirt instance Succeeded) rather than one the controller stopped, so the
 * reconcile loop honours the student's {@code poweroff} instead of taking it for a crash; it is
 * false in every other phase.
 */
public record VmStatus(String labId, Phase phase, String reason, int restartGeneration, boolean ready, boolean poweredOff) {

    public VmStatus {
        ready = ready && phase == Phase.RUNNING;
        poweredOff = poweredOff && phase == Phase.STOPPED;
    }

    public VmStatus(String labId, Phase phase, String reason, int restartGeneration, boolean ready) {
        this(labId, phase, reason, restartGeneration, ready, false);
    }

    /** A status whose machine is ready exactly when it runs (a template without readiness). */
    public VmStatus(String labId, Phase phase, String reason, int restartGeneration) {
        this(labId, phase, reason, restartGeneration, phase == Phase.RUNNING);
    }

    public VmStatus(String labId, Phase phase, String reason) {
        this(labId, phase, reason, 0);
    }

    /** A running machine that is not usable yet; {@code waitingFor} says why, in plain words. */
    public static VmStatus booting(String labId, String waitingFor, int restartGeneration) {
        return new VmStatus(labId, Phase.RUNNING, waitingFor, restartGeneration, false);
    }

    /** A machine whose guest shut itself down, not asked by the controller; {@code how} says what was seen. */
    public static VmStatus poweredOff(String labId, String how, int restartGeneration) {
        return new VmStatus(labId, Phase.STOPPED, how, restartGeneration, false, true);
    }

    /** The backend-neutral phases the reconcile loop maps onto lab states. */
    public enum Phase { STARTING, RUNNING, STOPPED, FAILED }
}
