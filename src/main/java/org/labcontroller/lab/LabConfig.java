package org.labcontroller.lab;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of labs and their reconcile loop. */
@ConfigMapping(prefix = "lab.labs")
public interface LabConfig {

    /** How often every lab is compared with its machine as a backstop; events drive the work in between. */
    @WithDefault("30s")
    Duration resyncInterval();

    /** How often a lab on its way (starting, stopping) is looked at when no event arrives. */
    @WithDefault("1s")
    Duration pollInterval();

    /** The first wait before a failed runtime call is tried again; doubled on each failure. */
    @WithDefault("1s")
    Duration retryInitial();

    /** The longest wait between two tries. */
    @WithDefault("5m")
    Duration retryMax();

    /** How many labs the loop works on at once. */
    @WithDefault("8")
    int workers();

    /** How often a lab whose machine died unasked is started again before it is left Failed. */
    @WithDefault("3")
    int crashRestarts();

    /** How long a lab must run without dying for its crash restarts to count afresh. */
    @WithDefault("10m")
    Duration crashWindow();

    /** How many labs one non-admin account may hold at once. */
    @WithDefault("5")
    int maxPerUser();

    /** How long a lab's screen thumbnail is reused (in memory only) before a new screenshot is taken. */
    @WithDefault("2s")
    Duration thumbnailMaxAge();
}
