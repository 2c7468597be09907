package org.labcontroller.runtime.kubevirt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.RuntimeFailure;

/** When the API refuses or cannot be reached, the runtime says so in a sentence and keeps trying. */
class KubevirtApiFailureTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void forbiddenRequestsNameWhatTheServiceAccountMayNotDo() throws Exception {
        try (FakeKubevirt cluster = new FakeKubevirt()) {
            cluster.failEveryRequestWith(403);
            KubevirtRuntime runtime = new KubevirtRuntime(cluster.client(), Labs.config());
            try {
                RuntimeFailure start = assertThrows(RuntimeFailure.class, () -> runtime.start(Labs.spec("lab1", true, true, null)));
                assertEquals("The controller's service account is not allowed to apply the VirtualMachine lab-lab1 "
                        + "(403 Forbidden): injected by the test", start.getMessage());
                RuntimeFailure secret = assertThrows(RuntimeFailure.class, () -> runtime.start(Labs.spec("lab1")));
                assertEquals("The controller's service account is not allowed to write the cloud-init Secret "
                        + "lab-lab1-cloudinit (403 Forbidden): injected by the test", secret.getMessage());
                await().atMost(WAIT).untilAsserted(() -> {
                    RuntimeFailure observe = assertThrows(RuntimeFailure.class, runtime::observe);
                    assertTrue(observe.getMessage().startsWith("The controller's service account is not allowed to "
                            + "list and watch virtualmachines in namespace " + FakeKubevirt.NAMESPACE + " (403 Forbidden)"), observe.getMessage());
                });
                cluster.failEveryRequestWith(0);
                await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertEquals(0, runtime.observe().size()));
            } finally {
                runtime.close();
            }
        }
    }

    @Test
    void rejectedCredentialsAreExplained() throws Exception {
        try (FakeKubevirt cluster = new FakeKubevirt()) {
            cluster.failEveryRequestWith(401);
            KubevirtRuntime runtime = new KubevirtRuntime(cluster.client(), Labs.config());
            try {
                RuntimeFailure stop = assertThrows(RuntimeFailure.class, () -> runtime.stop("lab1"));
                assertEquals("The Kubernetes API rejected the controller's credentials (401 Unauthorized) when asked "
                        + "to stop the VirtualMachine lab-lab1.", stop.getMessage());
            } finally {
                runtime.close();
            }
        }
    }

    @Test
    void anUnreachableApiIsAReadableFailureAndNotReady() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + port).withRequestRetryBackoffLimit(0).build()).build()) {
            KubevirtRuntime runtime = new KubevirtRuntime(client, Labs.config());
            try {
                RuntimeFailure start = assertThrows(RuntimeFailure.class, () -> runtime.start(Labs.spec("lab1", true, true, null)));
                assertTrue(start.getMessage().startsWith("The Kubernetes API is unreachable, so the controller could not "
                        + "apply the VirtualMachine lab-lab1"), start.getMessage());
                RuntimeFailure observe = assertThrows(RuntimeFailure.class, runtime::observe);
                assertTrue(observe.getMessage().contains("virtualmachines"), observe.getMessage());
                await().atMost(WAIT).until(() -> !runtime.ready());
            } finally {
                runtime.close();
            }
        }
    }

    @Test
    void aLabIdThatCannotNameAnObjectIsRefused() {
        try (FakeKubevirt cluster = new FakeKubevirt()) {
            KubevirtRuntime runtime = new KubevirtRuntime(cluster.client(), Labs.config());
            try {
                RuntimeFailure failure = assertThrows(RuntimeFailure.class, () -> runtime.delete("Not/A Name"));
                assertTrue(failure.getMessage().contains("cannot name a Kubernetes object"));
            } finally {
                runtime.close();
            }
        }
    }
}
