package org.labcontroller.replica;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * How replicas find each other to share a lab's streams. Without an address a controller serves
 * every stream itself (one replica, or an ingress that hashes on the URI).
 */
@ConfigMapping(prefix = "lab.replicas")
public interface ReplicaConfig {

    /**
     * {@code host:port} where the other replicas reach this one's HTTP port (in Kubernetes the pod's
     * IP and 8080, see deploy/); empty: no relaying.
     */
    Optional<String> address();

    /** Signs the relay header between replicas; required with {@link #address()} (a Secret in Kubernetes). */
    Optional<String> secret();

    /** How often a replica says it is alive; one silent for three of these is gone. */
    @WithDefault("5s")
    Duration heartbeat();

    /** How long a relay waits for the owning replica to accept the stream. */
    @WithDefault("5s")
    Duration dialTimeout();
}
