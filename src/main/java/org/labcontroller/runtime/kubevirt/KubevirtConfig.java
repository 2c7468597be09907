package org.labcontroller.runtime.kubevirt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Settings of the KubeVirt runtime and of leader election between replicas. Kept apart from the lab
 * settings because they only mean something when {@code lab.runtime=kubevirt}; how the controller
 * reaches the Kubernetes API (in-cluster service account or kubeconfig) is Quarkus'
 * {@code quarkus.kubernetes-client.*}.
 */
@ConfigMapping(prefix = "lab.kubevirt")
public interface KubevirtConfig {

    /** Namespace in which the controller creates one VirtualMachine per lab (not the controller's own). */
    @WithDefault("lab-controller-labs")
    String namespace();

    /**
     * How long a subresource call (restart) may take; other API calls follow
     * {@code quarkus.kubernetes-client.request-timeout}.
     */
    @WithDefault("10s")
    Duration subresourceTimeout();

    /** How long opening a console or VNC websocket to KubeVirt may take. */
    @WithDefault("10s")
    Duration streamConnectTimeout();

    /** How often the controller pings KubeVirt on an open console or VNC websocket (keep-alive). */
    @WithDefault("20s")
    Duration streamPingInterval();

    /** How long a ping to KubeVirt may stay unanswered before the stream is closed as dead. */
    @WithDefault("60s")
    Duration streamPongTimeout();

    /** Bytes of console or screen output buffered per stream before KubeVirt is asked to wait. */
    @WithDefault("262144")
    int streamBufferBytes();

    /** How long the API may be out of reach (watches reconnecting) before readiness turns down. */
    @WithDefault("15s")
    Duration readyGrace();

    /** Pull policy of the labs' container disks: Always, IfNotPresent or Never. */
    /** The containerDisk of the demo template seeded on the first start (boots to a console login). */
    @WithDefault("quay.io/kubevirt/cirros-container-disk-demo:latest")
    String demoImage();

    @WithDefault("IfNotPresent")
    String imagePullPolicy();

    /** Leader election between controller replicas. */
    LeaderElection leaderElection();

    /** Which replica runs the reconcile loop: the holder of a coordination.k8s.io Lease. */
    interface LeaderElection {

        /** Whether replicas elect a leader; off, every replica reconciles (only safe with one replica). */
        @WithDefault("true")
        boolean enabled();

        /** Name of the Lease object the replicas compete for. */
        @WithDefault("lab-controller-leader")
        String leaseName();

        /** Namespace of the Lease: the controller's own namespace. */
        @WithDefault("lab-controller")
        String leaseNamespace();

        /** How long a lease stays valid without renewal: the longest a dead leader blocks the others. */
        @WithDefault("15s")
        Duration leaseDuration();

        /** How long the leader keeps trying to renew before it gives leadership up. */
        @WithDefault("10s")
        Duration renewDeadline();

        /** How often candidates try to acquire, and the leader renews, the lease. */
        @WithDefault("2s")
        Duration retryPeriod();
    }

    /**
     * This installation's name, a label value put on every object it owns (VMs, their instances and
     * pods, cloud-init Secrets): its watches and its orphan cleanup only see objects with its name, so
     * two installations sharing a namespace never touch each other's labs.
     */
    @WithDefault("default")
    String installationId();
}
