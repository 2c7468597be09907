package org.labcontroller.lab;

import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmSpec;

/**
 * What the reconcile loop needs from the rest of the application besides labs and the runtime:
 * a lab's machine spec (from its template), the audit of an expiry, and metrics. Kept apart so
 * {@link LabLoop} is a plain class its tests build by hand.
 */
interface LoopHooks {

    /** A runtime call, for timing. */
    interface Call {
        void run() throws RuntimeFailure;
    }

    /** The machine a lab needs now. */
    VmSpec spec(Lab lab);

    /** A lab's lifetime ended and the loop marked it for deletion. */
    void expired(Lab lab);

    /** A call failed in a way no runtime should fail (a bug); counted and logged, never retried in a loop. */
    void unexpected(String labId, RuntimeException error);

    /** A lab's machine died unasked and the loop starts it again ({@code reason} says so). */
    default void recovering(Lab lab, String reason) {
    }

    /** A lab's guest shut itself down and the loop recorded it as stopped ({@code reason} says so). */
    default void poweredOff(Lab lab, String reason) {
    }

    /** A retry was scheduled after a transient failure. */
    void retrying(String labId);

    /** Runs a runtime call, measuring it. */
    default void timed(String op, Call call) throws RuntimeFailure {
        call.run();
    }
}
