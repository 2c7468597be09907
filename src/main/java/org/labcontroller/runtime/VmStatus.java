package org.labcontroller.runtime;

/**
 * What a runtime observed of one lab's machine; {@code reason} is a readable sentence or null.
 * {@code restartGeneration} is the restart generation the machine was last (re)started for, as the
 * runtime itself recorded it (launch file, VM annotation), so a restart that completed before the
 * controller could write it down is never repeated; 0 when the runtime has no record.
 */
public record VmStatus(String labId, Phase phase, String reason, int restartGeneration) {

    public VmStatus(String labId, Phase phase, String reason) {
        this(labId, phase, reason, 0);
    }

    /** The backend-neutral phases the reconcile loop maps onto lab states. */
    public enum Phase { STARTING, RUNNING, STOPPED, FAILED }
}
