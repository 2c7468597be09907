package org.labcontroller.lab;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Settings of the live lab feed ({@code GET /api/v1/labs/events}). They share the
 * {@code lab.streams} prefix with the console and screen streams, whose settings the access
 * feature maps; the recheck interval is one setting that both read.
 */
@ConfigMapping(prefix = "lab.streams")
public interface FeedConfig {

    /** How often open feeds and streams re-check their credential (logout, revoked token, changed role). */
    @WithDefault("10s")
    Duration recheckInterval();

    /** How many live feeds one account may hold open at once on one replica. */
    @WithDefault("5")
    int maxFeedsPerUser();
}
