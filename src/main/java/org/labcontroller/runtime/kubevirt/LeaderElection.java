package org.labcontroller.runtime.kubevirt;

import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * Starts this replica's campaign for the Lease, for the composition root ({@code app.Wiring}),
 * which decides whether an election runs at all; fabric8 stays inside this adapter.
 */
@ApplicationScoped
public class LeaderElection {
    @Inject
    KubernetesClient client;
    @Inject
    KubevirtConfig config;

    /** Whether the settings ask for an election among replicas. */
    public boolean enabled() {
        return config.leaderElection().enabled();
    }

    /** Starts campaigning and returns the leadership it reports; close it to release the Lease. */
    public LeaseLeadership campaign() {
        LeaseLeadership lease = new LeaseLeadership(client, config.leaderElection(), identity());
        lease.start();
        return lease;
    }

    /** The pod's name (its host name) plus a random part, so a restarted pod is a new candidate. */
    static String identity() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "lab-controller";
            }
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
