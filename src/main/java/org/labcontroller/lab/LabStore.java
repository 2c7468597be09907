package org.labcontroller.lab;

import java.util.List;
import java.util.Optional;

/**
 * What the reconcile loop reads and writes of labs. {@link LabRepository} is the real one; the
 * loop's unit tests give it one in memory, so its retry and backoff rules run in milliseconds
 * against a controllable clock and a runtime that injects faults.
 */
interface LabStore {

    /** The lab as stored now, whoever owns it. */
    Optional<Lab> find(String id);

    /** Every lab, for a resync. */
    List<Lab> all();

    /** The loop's record of what it observed (see {@link LabRepository#observe}). */
    boolean observe(Lab lab, LabState state, String reason, Long startedAt, int restartObserved, long now, long epoch);

    /** Records that the loop starts or restarts the lab's machine at {@code now}. */
    boolean booting(Lab lab, long now, long epoch);

    /** Marks an expired lab for deletion. */
    boolean expire(Lab lab, long now, long epoch);

    /**
     * Honours a guest that shut itself down as the user's stop: desired Stopped (its version bumped,
     * as a request does), state Stopped with {@code reason}; only while the desired version read is
     * current, so a request the user made meanwhile wins (see {@link LabRepository#poweredOff}).
     */
    boolean poweredOff(Lab lab, String reason, long now, long epoch);

    /** Removes a deleted lab's row once its machine is gone. */
    boolean delete(String id, long epoch);

    /** The reset generation the user asked for, when the loop has not carried it out yet (see {@link ResetRepository}). */
    Optional<Integer> pendingReset(String id);

    /** Records that the lab's machine and disk are gone for the reset of {@code generation} (see {@link ResetRepository#applied}). */
    boolean resetApplied(String id, int generation, long epoch);
}
