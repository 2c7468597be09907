package org.labcontroller.lab;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of labs and their reconcile loop. */
@ConfigMapping(prefix = "lab.labs")
public interface LabConfig {

    /** How often the reconcile loop compares desired and observed state when nothing wakes it. */
    @WithDefault("2s")
    Duration reconcileInterval();

    /** How many labs one non-admin account may hold at once. */
    @WithDefault("5")
    int maxPerUser();
}
