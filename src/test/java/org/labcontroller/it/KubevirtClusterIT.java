package org.labcontroller.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus.Phase;
import org.labcontroller.runtime.kubevirt.KubevirtConfig;
import org.labcontroller.runtime.kubevirt.KubevirtRuntime;

/**
 * Opt-in: the KubeVirt runtime against a real cluster. Runs only when {@code KUBECONFIG} is set and
 * its cluster serves {@code kubevirt.io}; starts a CirrOS lab in {@code LAB_IT_NAMESPACE} (default
 * {@code lab-controller-it}), reads its console, stops and deletes it. See docs/kubernetes.md.
 */
class KubevirtClusterIT {
    private static final String IMAGE = System.getenv().getOrDefault("LAB_IT_IMAGE",
            "quay.io/kubevirt/cirros-container-disk-demo:latest");

    @Test
    void aLabStartsShowsItsConsoleStopsAndIsDeleted() throws Exception {
        assumeTrue(System.getenv("KUBECONFIG") != null, "KUBECONFIG is not set: no cluster to test against");
        String namespace = System.getenv().getOrDefault("LAB_IT_NAMESPACE", "lab-controller-it");
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            assumeTrue(servesKubevirt(client), "the cluster has no KubeVirt (kubevirt.io/v1)");
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .serverSideApply();
            KubevirtRuntime runtime = new KubevirtRuntime(client, ClusterSettings.of(namespace));
            String lab = UUID.randomUUID().toString();
            try {
                runtime.start(new VmSpec(lab, "it", new VmImage(null, null, null, null, IMAGE), 1, 256, null, true, true));
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                        .until(() -> runtime.observe().get(lab).phase() == Phase.RUNNING);
                try (ByteChannel console = runtime.open(lab, StreamKind.CONSOLE)) {
                    console.write(ByteBuffer.wrap("\n".getBytes(StandardCharsets.US_ASCII)));
                    ByteBuffer received = ByteBuffer.allocate(4096);
                    assertTrue(console.read(received) > 0, "the console answered");
                }
                runtime.stop(lab);
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                        .until(() -> runtime.observe().get(lab).phase() == Phase.STOPPED);
            } finally {
                runtime.delete(lab);
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> !runtime.observe().containsKey(lab));
                runtime.close();
            }
        }
    }

    private static boolean servesKubevirt(KubernetesClient client) {
        try {
            return client.getApiGroup("kubevirt.io") != null;
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    /** The runtime's settings for the test namespace, defaults otherwise. */
    private record ClusterSettings(String namespace) implements KubevirtConfig {
        static KubevirtConfig of(String namespace) {
            return new ClusterSettings(namespace);
        }

        public Duration subresourceTimeout() {
            return Duration.ofSeconds(10);
        }

        public Duration streamConnectTimeout() {
            return Duration.ofSeconds(10);
        }

        public int streamBufferBytes() {
            return 262144;
        }

        public Duration streamPingInterval() {
            return Duration.ofSeconds(20);
        }

        public Duration streamPongTimeout() {
            return Duration.ofSeconds(60);
        }

        public Duration readyGrace() {
            return Duration.ofSeconds(15);
        }

        public String imagePullPolicy() {
            return "IfNotPresent";
        }

        @Override
        public String demoImage() {
            return "quay.io/kubevirt/cirros-container-disk-demo:latest";
        }

        public LeaderElection leaderElection() {
            throw new UnsupportedOperationException("not used by the runtime");
        }

        public String installationId() {
            return "it";
        }
    }
}
