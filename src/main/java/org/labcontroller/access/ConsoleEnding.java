package org.labcontroller.access;

import org.labcontroller.account.Caller;
import org.labcontroller.problem.ErrorCode;

/**
 * Why a lab's console ended, as its viewers are told: a close code of the catalogue and a
 * sentence, so a viewer can tell a stopped or deleted lab from a console that broke (reconnect).
 */
record ConsoleEnding(ErrorCode code, String reason) {

    /** The lab's end of the console went away while nothing says the lab should have stopped. */
    static ConsoleEnding unexpected(Throwable cause) {
        return new ConsoleEnding(ErrorCode.UNAVAILABLE, cause == null ? "The lab's console ended unexpectedly; reconnect to try again"
                : "The connection to the lab's console failed; reconnect to try again");
    }

    /** Finds out why the lab's console ended (did the lab stop?); blocking, so run on a worker. */
    interface Explainer {
        ConsoleEnding why(String labId, Caller asking, Throwable cause);
    }
}
