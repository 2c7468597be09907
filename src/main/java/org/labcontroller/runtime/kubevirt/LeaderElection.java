package org.labcontroller.runtime.kubevirt;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.labcontroller.lab.Leadership;
import org.labcontroller.lab.SoleLeader;

/**
 * Chooses the controller's {@link Leadership} at run time: a Lease election when the KubeVirt
 * runtime runs with election enabled, the lone-controller default otherwise. A producer rather than
 * an annotated bean because the choice depends on runtime settings ({@code LAB_RUNTIME}), while
 * replacing the {@code @DefaultBean} is decided when the application is built.
 */
@ApplicationScoped
class LeaderElection {

    @Produces
    @ApplicationScoped
    Leadership leadership(@ConfigProperty(name = "lab.runtime", defaultValue = "qemu") String runtime,
            KubevirtConfig config, Instance<KubernetesClient> client) {
        if (!"kubevirt".equals(runtime) || !config.leaderElection().enabled()) {
            return new SoleLeader();
        }
        LeaseLeadership lease = new LeaseLeadership(client.get(), config.leaderElection(), identity());
        lease.start();
        return lease;
    }

    void release(@Disposes Leadership leadership) {
        if (leadership instanceof LeaseLeadership lease) {
            lease.close();
        }
    }

    /** Creates the leadership at start-up, so the election begins before the first reconcile pass. */
    void onStart(@Observes StartupEvent event, Leadership leadership) {
        leadership.isLeader();
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
