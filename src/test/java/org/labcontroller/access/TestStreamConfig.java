package org.labcontroller.access;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@link StreamConfig} with its defaults, for plain tests; fields override what a test needs. */
final class TestStreamConfig implements StreamConfig {
    Duration consoleLinger = Duration.ofMinutes(5);
    int backendQueueBytes = 262144;

    public Optional<List<String>> allowedOrigins() {
        return Optional.empty();
    }

    public Duration pingInterval() {
        return Duration.ofSeconds(20);
    }

    public Duration pongTimeout() {
        return Duration.ofSeconds(60);
    }

    public Duration recheckInterval() {
        return Duration.ofSeconds(10);
    }

    public int maxStreamsPerUser() {
        return 20;
    }

    public int scrollbackBytes() {
        return 65536;
    }

    public int clientQueueBytes() {
        return 262144;
    }

    public int backendQueueBytes() {
        return backendQueueBytes;
    }

    public Duration slowClientTimeout() {
        return Duration.ofSeconds(30);
    }

    public Duration consoleLinger() {
        return consoleLinger;
    }
}
