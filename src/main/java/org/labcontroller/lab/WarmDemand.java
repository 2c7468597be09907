package org.labcontroller.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Templates another feature wants warm ahead of use although nobody started them yet: a course
 * whose window opens soon wants its templates ready before the class clicks Start. Exists so that
 * {@code lab} can ask without depending on the features that know such times.
 */
public interface WarmDemand {
    /**
     * The ids of the templates wanted warm at {@code now}: those of a course whose window opens
     * within {@code ahead}, or opened less than {@code idleAfter} ago and is still open.
     */
    Set<String> templatesWanted(Instant now, Duration ahead, Duration idleAfter);
}
