package org.labcontroller.runtime.kubevirt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/**
 * Opt-in: the KubeVirt runtime against a real cluster. Runs only when {@code KUBECONFIG} is set and
 * its cluster serves {@code kubevirt.io}, in {@code LAB_IT_NAMESPACE} (default {@code
 * lab-controller-it}): a CirrOS lab starts, answers on its console, stops and is deleted; cloud-init
 * over virt-api's 2 KiB inline limit goes through a Secret the VM owns (deleted with it); the demo
 * containerDisk boots to a login prompt; stopping a VM whose image cannot be pulled releases it.
 * See docs/kubernetes.md.
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

    /** A runtime on the cluster in the test namespace, or the test is skipped. */
    private interface OnCluster {
        void run(KubernetesClient client, KubevirtRuntime runtime, String namespace) throws Exception;
    }

    private static void onCluster(OnCluster test) throws Exception {
        assumeTrue(System.getenv("KUBECONFIG") != null, "KUBECONFIG is not set: no cluster to test against");
        String namespace = System.getenv().getOrDefault("LAB_IT_NAMESPACE", "lab-controller-it");
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            assumeTrue(servesKubevirt(client), "the cluster has no KubeVirt (kubevirt.io/v1)");
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .serverSideApply();
            KubevirtRuntime runtime = new KubevirtRuntime(client, ClusterSettings.of(namespace));
            try {
                test.run(client, runtime, namespace);
            } finally {
                runtime.close();
            }
        }
    }

    private static void deleteAndWait(KubevirtRuntime runtime, String lab) throws Exception {
        runtime.delete(lab);
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> !runtime.observe().containsKey(lab));
    }

    private static String readUntil(ByteChannel console, String wanted, Duration limit) throws Exception {
        StringBuilder seen = new StringBuilder();
        long end = System.nanoTime() + limit.toNanos();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (System.nanoTime() < end && !seen.toString().contains(wanted)) {
            console.write(ByteBuffer.wrap("\n".getBytes(StandardCharsets.US_ASCII)));
            buffer.clear();
            if (console.read(buffer) > 0) {
                seen.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
            }
        }
        return seen.toString();
    }

    @Test
    void cloudInitOverTheInlineLimitGoesThroughASecretTheVmOwns() throws Exception {
        onCluster((client, runtime, namespace) -> {
            String lab = UUID.randomUUID().toString();
            String userData = "#cloud-config\n# padding past virt-api's 2048-byte inline limit: " + "x".repeat(3000) + "\n";
            String vm = KubevirtObjects.vmName(lab);
            try {
                runtime.start(new VmSpec(lab, "it", new VmImage(null, null, null, null, IMAGE), 1, 256, userData, true, true));
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                        .until(() -> runtime.observe().get(lab).phase() == Phase.RUNNING);
                var secret = client.secrets().inNamespace(namespace).withName(CloudInitSecrets.name(vm)).get();
                assertNotNull(secret, "the user data is in a Secret");
                assertEquals(vm, secret.getMetadata().getOwnerReferences().getFirst().getName(), "owned by the VM");
            } finally {
                deleteAndWait(runtime, lab);
            }
            await().atMost(Duration.ofMinutes(2)).until(() ->
                    client.secrets().inNamespace(namespace).withName(CloudInitSecrets.name(vm)).get() == null);
        });
    }

    @Test
    void theDemoContainerDiskBootsToALoginPrompt() throws Exception {
        onCluster((client, runtime, namespace) -> {
            String lab = UUID.randomUUID().toString();
            try {
                runtime.start(new VmSpec(lab, "it", runtime.demoImage(), 1, 256, null, true, true));
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                        .until(() -> runtime.observe().get(lab).phase() == Phase.RUNNING);
                try (ByteChannel console = runtime.open(lab, StreamKind.CONSOLE)) {
                    assertTrue(readUntil(console, "login:", Duration.ofMinutes(4)).contains("login:"), "a login prompt");
                }
            } finally {
                deleteAndWait(runtime, lab);
            }
        });
    }

    @Test
    void stoppingAVmWhoseImageCannotBePulledReleasesIt() throws Exception {
        onCluster((client, runtime, namespace) -> {
            String lab = UUID.randomUUID().toString();
            String vm = KubevirtObjects.vmName(lab);
            try {
                runtime.start(new VmSpec(lab, "it", new VmImage(null, null, null, null,
                        "quay.io/lab-controller-it/no-such-image:never"), 1, 256, null, true, true));
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                        .until(() -> runtime.observe().get(lab).phase() == Phase.FAILED);
                runtime.stop(lab);
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).until(() ->
                        client.genericKubernetesResources(KubevirtObjects.VMI).inNamespace(namespace).withName(vm).get() == null);
                assertEquals("Halted", client.genericKubernetesResources(KubevirtObjects.VM).inNamespace(namespace).withName(vm)
                        .get().get("spec", "runStrategy"));
                assertNull(client.pods().inNamespace(namespace).withLabel("kubevirt.io/domain", vm).list().getItems()
                        .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).findAny().orElse(null),
                        "no launcher pod keeps its reservation");
            } finally {
                deleteAndWait(runtime, lab);
            }
        });
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
