package org.labcontroller.runtime;

/**
 * Whether this replica may run the reconcile loop now. With several replicas exactly one (the
 * holder of a lease) reconciles, while every replica serves the API and streams; a single
 * controller is always the leader.
 */
public interface Leadership {

    /** True while this replica holds the lease (or no election is configured). */
    boolean isLeader();

    /**
     * Registers a callback run (on some other thread, never blocking it) whenever this replica
     * gains or loses leadership, so the loop claims a new epoch or stops at once.
     */
    default void onChange(Runnable listener) {
    }
}
