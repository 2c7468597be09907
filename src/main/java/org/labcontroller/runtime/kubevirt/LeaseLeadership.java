package org.labcontroller.runtime.kubevirt;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.Leadership;

/**
 * Leadership among controller replicas on Kubernetes: the replica holding a
 * {@code coordination.k8s.io} Lease runs the reconcile loop, the others serve the API and streams
 * and take over within a lease duration when the leader goes away. Built on fabric8's
 * {@link LeaderElector}; a replica that loses the lease campaigns again instead of staying idle.
 */
public final class LeaseLeadership implements Leadership, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LeaseLeadership.class);

    private final KubernetesClient client;
    private final KubevirtConfig.LeaderElection config;
    private final String identity;
    // NOTE: the elector's loops run on this one thread; isLeader() is read by the reconcile thread.
    private final ExecutorService thread;
    private volatile boolean leader;
    private volatile boolean closed;
    private volatile CompletableFuture<?> campaign;
    private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    LeaseLeadership(KubernetesClient client, KubevirtConfig.LeaderElection config, String identity) {
        this.client = client;
        this.config = config;
        this.identity = identity;
        this.thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "leader-election"));
    }

    /** Starts campaigning for the lease; returns at once. */
    synchronized void start() {
        if (closed) {
            return;
        }
        LeaderElector elector = new LeaderElector(client, new LeaderElectionConfigBuilder()
                .withName(config.leaseName())
                .withLock(new LeaseLock(config.leaseNamespace(), config.leaseName(), identity))
                .withLeaseDuration(config.leaseDuration())
                .withRenewDeadline(config.renewDeadline())
                .withRetryPeriod(config.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::started, this::stopped, this::observed))
                .build(), thread);
        CompletableFuture<?> running = elector.start();
        campaign = running;
        // NOTE: a finished campaign (renewal failed) is followed by a new one unless we are closing.
        running.whenComplete((ignored, error) -> {
            setLeader(false);
            if (!closed) {
                CompletableFuture.delayedExecutor(config.retryPeriod().toMillis(), TimeUnit.MILLISECONDS)
                        .execute(this::start);
            }
        });
    }

    @Override
    public boolean isLeader() {
        return leader;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private void setLeader(boolean value) {
        boolean was = leader;
        leader = value;
        if (was != value) {
            listeners.forEach(Runnable::run);
        }
    }

    /** This replica's name in the lease. */
    String identity() {
        return identity;
    }

    /** Stops campaigning and, if leading, releases the lease so another replica takes over at once. */
    @Override
    public void close() {
        CompletableFuture<?> running;
        synchronized (this) {
            closed = true;
            running = campaign;
        }
        if (running != null) {
            running.cancel(true); // releases the lease on this thread (releaseOnCancel)
        }
        leader = false;
        thread.shutdown();
    }

    private void started() {
        setLeader(true);
        LOG.infof("This replica (%s) now leads and runs the reconcile loop", identity);
    }

    private void stopped() {
        setLeader(false);
        LOG.infof("This replica (%s) no longer leads", identity);
    }

    private void observed(String newLeader) {
        LOG.debugf("Leader is now %s", newLeader);
    }
}
