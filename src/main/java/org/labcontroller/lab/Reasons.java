package org.labcontroller.lab;

import java.time.Duration;
import org.labcontroller.lab.Decision.Action;

/** The words the loop shows in a lab's state reason while it retries or recovers it. */
final class Reasons {
    /** The reason a lab shows after its guest shut itself down (a student's {@code poweroff}). */
    static final String POWERED_OFF = "It was shut down from inside the lab.";

    private Reasons() {
    }

    static LabState shownWhileRetrying(Action action, Lab lab) {
        return switch (action) {
            case START, RESTART -> LabState.STARTING;
            case STOP -> LabState.STOPPING;
            case DELETE, EXPIRE -> LabState.DELETING;
            case POWERED_OFF -> LabState.STOPPED;
            case NONE, RESET, RESET_DONE -> lab.state();
        };
    }

    static String describe(Action action) {
        return switch (action) {
            case START -> "Starting its machine";
            case RESTART -> "Restarting its machine";
            case STOP -> "Stopping its machine";
            case DELETE -> "Removing its machine";
            case EXPIRE -> "Ending it";
            case POWERED_OFF -> "Recording its shutdown";
            case RESET -> "Removing its machine and disk for the reset";
            case RESET_DONE -> "Recording its reset";
            case NONE -> "Checking it";
        };
    }

    static String verb(Action action) {
        return switch (action) {
            case START -> "starting";
            case RESTART -> "restarting";
            case STOP -> "stopping";
            case DELETE, EXPIRE -> "removing";
            case POWERED_OFF -> "recording the shutdown of";
            case RESET, RESET_DONE -> "resetting";
            case NONE -> "checking";
        };
    }

    static String seconds(Duration d) {
        long s = Math.max(1, (d.toMillis() + 999) / 1000);
        return s < 120 ? s + " s" : (s + 59) / 60 + " min";
    }

    static String crashed(String why, int attempt, int limit) {
        return again("Its machine stopped unexpectedly" + (why == null ? "" : " (" + strip(why) + ")"), attempt, limit);
    }

    /** {@code failure} (a sentence) followed by the restart the loop makes of it. */
    static String again(String failure, int attempt, int limit) {
        return strip(failure) + "; starting it again (" + attempt + " of " + limit + ").";
    }

    /** A machine that did not become ready in time; {@code waiting} is what it still waited for. */
    static String notReady(int timeoutSeconds, String waiting) {
        String still = waiting == null ? "" : strip(waiting);
        if (still.startsWith("Booting: ")) {
            still = still.substring("Booting: ".length());
        }
        return "Its machine did not become ready within " + seconds(Duration.ofSeconds(timeoutSeconds))
                + (still.isEmpty() ? "" : " (still " + still + ")") + ".";
    }

    private static String strip(String sentence) {
        String s = sentence.strip();
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
