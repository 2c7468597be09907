package org.labcontroller.access;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the console and screen streams between browsers and labs. */
@ConfigMapping(prefix = "lab.streams")
public interface StreamConfig {

    /** Origins (scheme://host[:port]) besides the controller's own that may open streams from a browser. */
    Optional<List<String>> allowedOrigins();

    /** How often every open stream is pinged, so proxies with idle limits never cut a quiet console. */
    @WithDefault("20s")
    Duration pingInterval();

    /** How long a stream's peer may leave pings unanswered before the stream is closed as gone. */
    @WithDefault("60s")
    Duration pongTimeout();

    /** How often open streams re-check their credential and the lab's state (revoked tokens, stopped labs). */
    @WithDefault("10s")
    Duration recheckInterval();

    /** How many console and screen streams (together) one account may hold open at once on one replica. */
    @WithDefault("20")
    int maxStreamsPerUser();

    /** Bytes of recent console output kept per lab and replayed to a viewer who (re)connects. */
    @WithDefault("65536")
    int scrollbackBytes();

    /** Bytes queued towards one browser before the lab's stream is paused for it (backpressure). */
    @WithDefault("262144")
    int clientQueueBytes();

    /** Bytes queued towards the lab before the browser's input is paused. */
    @WithDefault("262144")
    int backendQueueBytes();

    /** How long a shared console waits for a viewer that reads nothing before disconnecting it. */
    @WithDefault("30s")
    Duration slowClientTimeout();

    /** How long a lab's console connection is kept after its last viewer left, to keep its scrollback. */
    @WithDefault("5m")
    Duration consoleLinger();
}
