package org.labcontroller.runtime.kubevirt;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.WebSocket;
import io.fabric8.kubernetes.client.http.WebSocketHandshakeException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.StreamUnavailableException;

/**
 * Calls KubeVirt's {@code subresources.kubevirt.io} API, which fabric8 has no DSL for: the VM
 * {@code restart} action, the instance's {@code console} and {@code vnc} websockets and its
 * {@code vnc/screenshot}. Both go
 * through the client's own HTTP client, so they carry the same credentials as every other call.
 */
final class KubevirtSubresources {
    /** The websocket subprotocol KubeVirt's virt-api speaks on console and VNC: raw bytes in binary frames. */
    static final String PLAIN_SUBPROTOCOL = "plain.kubevirt.io";
    private static final Logger LOG = Logger.getLogger(KubevirtSubresources.class);
    /** NOTE: one daemon thread sends every stream's pings and checks their deadlines; each tick is short. */
    private static final ScheduledExecutorService KEEP_ALIVE = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kubevirt-stream-keepalive");
        t.setDaemon(true);
        return t;
    });

    private final KubernetesClient client;
    private final HttpClient http;
    private final String namespace;
    private final Duration timeout;
    private final Duration connectTimeout;
    private final int bufferBytes;
    private final Duration pingInterval;
    private final Duration pongTimeout;

    KubevirtSubresources(KubernetesClient client, KubevirtConfig config) {
        this.client = client;
        this.http = client.getHttpClient();
        this.namespace = config.namespace();
        this.timeout = config.subresourceTimeout();
        this.connectTimeout = config.streamConnectTimeout();
        this.bufferBytes = config.streamBufferBytes();
        this.pingInterval = config.streamPingInterval();
        this.pongTimeout = config.streamPongTimeout();
    }

    /** PUTs a VM action ({@code restart}) with empty options. */
    void vmAction(String vmName, String action) throws RuntimeFailure {
        String what = action + " the VirtualMachine " + vmName;
        HttpRequest request = http.newHttpRequestBuilder()
                .uri(uri(KubevirtObjects.subresourcePath(namespace, KubevirtObjects.VM, vmName, action)))
                .method("PUT", "application/json", "{}")
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
        HttpResponse<String> response = send(request, String.class, what);
        if (!HttpResponse.isSuccessful(response.code())) {
            throw ApiFailures.failure(what, new KubernetesClientException(response.body(), response.code(), status(response.body())));
        }
    }

    /** One call to virt-api within the subresource timeout; a failure or timeout says what was asked. */
    private <T> HttpResponse<T> send(HttpRequest request, Class<T> type, String what) throws RuntimeFailure {
        try {
            return http.sendAsync(request, type).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw ApiFailures.failure(what, e.getCause());
        } catch (TimeoutException e) {
            throw ApiFailures.failure(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("Interrupted while asking KubeVirt to " + what + ".", e);
        }
    }

    /**
     * GETs the instance's {@code vnc/screenshot}: a PNG of its screen, which libvirt takes in the
     * instance's launcher (not over VNC), so it does not take the screen from a viewer. virt-api
     * answers 400 for an instance that is not running or has no display.
     */
    byte[] screenshot(String vmiName) throws StreamUnavailableException, RuntimeFailure {
        String what = "take a screenshot of the VirtualMachineInstance " + vmiName;
        HttpRequest request = http.newHttpRequestBuilder()
                .uri(uri(KubevirtObjects.subresourcePath(namespace, KubevirtObjects.VMI, vmiName, "vnc/screenshot")))
                .header("Accept", "image/png")
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
        HttpResponse<byte[]> response = send(request, byte[].class, what);
        String body = response.body() == null ? "" : new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
        if (response.code() == 404 || response.code() == 400) {
            Status status = status(body);
            throw new StreamUnavailableException("The lab's machine " + vmiName + " has no screen now"
                    + (status == null || status.getMessage() == null ? "." : ": " + status.getMessage()));
        }
        if (!HttpResponse.isSuccessful(response.code())) {
            throw ApiFailures.failure(what, new KubernetesClientException(body, response.code(), status(body)));
        }
        return response.body();
    }

    /**
     * Opens the instance's console or VNC websocket. KubeVirt serves one connection per stream of an
     * instance, so the caller fans one channel out rather than opening many.
     */
    ByteChannel open(String vmiName, StreamKind kind) throws StreamUnavailableException, IOException {
        return dial(vmiName, kind);
    }

    /** Opens the stream as {@link #open}, as the channel itself (so that tests can see its pings). */
    WebSocketChannel dial(String vmiName, StreamKind kind) throws StreamUnavailableException, IOException {
        String stream = kind == StreamKind.CONSOLE ? "console" : "vnc";
        WebSocketChannel channel = new WebSocketChannel(bufferBytes);
        CompletableFuture<WebSocket> dial = http.newWebSocketBuilder()
                .subprotocol(PLAIN_SUBPROTOCOL)
                .uri(uri(KubevirtObjects.subresourcePath(namespace, KubevirtObjects.VMI, vmiName, stream)))
                .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .buildAsync(channel);
        try {
            WebSocket socket = dial.get(connectTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            channel.attach(socket);
            if (!channel.keepAlive(KEEP_ALIVE, pingInterval, pongTimeout)) {
                LOG.debugf("The %s stream of %s has no keep-alive: the HTTP client offers no websocket pings", stream, vmiName);
            }
            return channel;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h && h.getResponse() != null) {
                int code = h.getResponse().code();
                if (code == 404) {
                    throw new StreamUnavailableException("The lab's machine " + vmiName + " is not running.");
                }
                throw new IOException("KubeVirt refused the " + stream + " stream (HTTP " + code + ").", e.getCause());
            }
            throw new IOException("KubeVirt's " + stream + " stream could not be opened: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            giveUp(channel, dial);
            throw new IOException("KubeVirt did not open the " + stream + " stream within " + connectTimeout.toSeconds() + "s.", e);
        } catch (InterruptedException e) {
            giveUp(channel, dial);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while opening the " + stream + " stream.");
        }
    }

    /**
     * A dial given up on may still succeed later, and KubeVirt serves one connection per stream: the
     * late socket would hold the slot the next dial needs. The closed channel closes it on open
     * (see {@link WebSocketChannel#onOpen}); the cancelled future stops what has not started.
     */
    private static void giveUp(WebSocketChannel channel, CompletableFuture<WebSocket> dial) {
        channel.close();
        dial.cancel(true);
        dial.whenComplete((socket, failure) -> {
            if (socket != null) {
                socket.sendClose(1000, "the controller gave up waiting for the stream");
            }
        });
    }

    private URI uri(String path) {
        String base = client.getMasterUrl().toString();
        return URI.create(base.endsWith("/") ? base + path : base + "/" + path);
    }

    private Status status(String body) {
        try {
            return body == null || body.isBlank() ? null : client.getKubernetesSerialization().unmarshal(body, Status.class);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
