package org.labcontroller.runtime.kubevirt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.StreamUnavailableException;

/** Console and VNC bytes bridged both ways between the channel and KubeVirt's websocket subresources. */
class KubevirtStreamTest extends MockClusterTest {
    @Test
    void consoleBytesFlowBothWays() throws Exception {
        String lab = running(Labs.spec(Labs.newLabId()));
        try (ByteChannel console = runtime.open(lab, StreamKind.CONSOLE)) {
            assertEquals("login: ", read(console, 7));
            console.write(ByteBuffer.wrap("root\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals("root\n", read(console, 5));
        }
        assertEquals("root\n", cluster.streamInput("lab-" + lab, "console"));
    }

    @Test
    void vncSpeaksRfbThroughTheChannel() throws Exception {
        String lab = running(Labs.spec(Labs.newLabId()));
        try (ByteChannel vnc = runtime.open(lab, StreamKind.VNC)) {
            assertEquals(FakeKubevirt.RFB_VERSION, read(vnc, 12));
            vnc.write(ByteBuffer.wrap(FakeKubevirt.RFB_VERSION.getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer securityTypes = ByteBuffer.allocate(2);
            while (securityTypes.hasRemaining()) {
                vnc.read(securityTypes);
            }
            assertArrayEquals(new byte[] {1, 1}, securityTypes.array());
        }
        assertEquals(FakeKubevirt.RFB_VERSION, cluster.streamInput("lab-" + lab, "vnc"));
    }

    @Test
    void aLabWithoutRunningInstanceHasNoStream() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        StreamUnavailableException e = assertThrows(StreamUnavailableException.class, () -> runtime.open(lab, StreamKind.CONSOLE));
        assertEquals("Lab " + lab + " is not running.", e.getMessage());
    }

    @Test
    void aStreamTheTemplateDoesNotOfferIsRefusedBeforeDialing() throws Exception {
        String lab = running(Labs.spec(Labs.newLabId(), true, false, null));
        StreamUnavailableException e = assertThrows(StreamUnavailableException.class, () -> runtime.open(lab, StreamKind.VNC));
        assertEquals("Lab " + lab + " does not offer a vnc stream.", e.getMessage());
    }

    @Test
    void aClosedChannelRefusesFurtherUse() throws Exception {
        String lab = running(Labs.spec(Labs.newLabId()));
        ByteChannel console = runtime.open(lab, StreamKind.CONSOLE);
        console.close();
        assertEquals(false, console.isOpen());
        assertThrows(IOException.class, () -> console.read(ByteBuffer.allocate(1)));
    }

    @Test
    void aStreamWhoseServerAnswersPingsStaysOpen() throws Exception {
        try (KubernetesClient client = clientVia(cluster.client().getMasterUrl().toString())) {
            KubevirtSubresources subresources = new KubevirtSubresources(client,
                    Labs.streamConfig(Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(500)));
            try (WebSocketChannel console = subresources.dial("lab-pings", StreamKind.CONSOLE)) {
                assertEquals("login: ", read(console, 7));
                await().atMost(WAIT).until(() -> console.pongs() >= 3);
                console.write(ByteBuffer.wrap("still here\n".getBytes(StandardCharsets.UTF_8)));
                assertEquals("still here\n", read(console, 11));
            }
        }
    }

    @Test
    void aStreamWhoseServerStopsAnsweringPingsEndsWithTheReason() throws Exception {
        try (StallingProxy proxy = new StallingProxy(URI.create(cluster.client().getMasterUrl().toString()));
                KubernetesClient client = clientVia(proxy.url())) {
            KubevirtSubresources subresources = new KubevirtSubresources(client,
                    Labs.streamConfig(Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(300)));
            try (ByteChannel console = subresources.open("lab-silent", StreamKind.CONSOLE)) {
                assertEquals("login: ", read(console, 7));
                proxy.muteServer();
                // The read blocks until the keep-alive gives up: no pong ever comes back.
                IOException e = assertThrows(IOException.class,
                        () -> assertTimeoutPreemptively(WAIT, () -> console.read(ByteBuffer.allocate(1))));
                assertEquals("KubeVirt answered no ping for 0s; the stream to it was closed as dead.", e.getMessage());
            }
        }
    }

    @Test
    void aDialPastItsTimeoutLeavesNoConnectionOpenOnTheServer() throws Exception {
        // fabric8 retries a refused dial with backoff: the retry may succeed after the adapter gave up.
        Config config = new ConfigBuilder(cluster.client().getConfiguration())
                .withRequestRetryBackoffLimit(5).withRequestRetryBackoffInterval(1500).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            KubevirtSubresources subresources = new KubevirtSubresources(client,
                    Labs.streamConfig(Duration.ofMillis(100), Duration.ofSeconds(20), Duration.ofSeconds(60)));
            cluster.failEveryRequestWith(503);
            IOException e = assertThrows(IOException.class, () -> subresources.open("lab-late", StreamKind.CONSOLE));
            assertEquals("KubeVirt did not open the console stream within 0s.", e.getMessage());
            cluster.failEveryRequestWith(0);
            // A retry does open the stream on the server, late; the adapter closes it at once.
            await().atMost(WAIT).until(() -> cluster.streamsOpened() == 1);
            await().atMost(WAIT).until(() -> cluster.streamsOpen() == 0);
        }
    }

    /** A client like the adapter's, but reaching the API server through the given base URL. */
    private KubernetesClient clientVia(String masterUrl) {
        Config config = new ConfigBuilder(cluster.client().getConfiguration()).withMasterUrl(masterUrl).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private String running(org.labcontroller.runtime.VmSpec spec) throws Exception {
        runtime.start(spec);
        cluster.runInstance("lab-" + spec.labId(), "Running", null);
        cluster.setVmStatus("lab-" + spec.labId(), "Running", null);
        await().atMost(WAIT).ignoreExceptions().until(() -> runtime.observe().get(spec.labId()).phase()
                == org.labcontroller.runtime.VmStatus.Phase.RUNNING);
        return spec.labId();
    }

    private static String read(ByteChannel channel, int bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                break;
            }
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }
}
