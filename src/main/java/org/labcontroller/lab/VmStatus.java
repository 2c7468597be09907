package org.labcontroller.lab;

/** What a runtime observed of one lab's machine; {@code reason} is a readable sentence or null. */
public record VmStatus(String labId, Phase phase, String reason) {

    /** The backend-neutral phases the reconcile loop maps onto lab states. */
    public enum Phase { STARTING, RUNNING, STOPPED, FAILED }
}
