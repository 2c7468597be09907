package org.labcontroller.access;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/** A test websocket client (the JDK's) that collects binary frames and remembers how it was closed. */
public final class WsClient implements WebSocket.Listener {
    private final StringBuffer text = new StringBuffer();
    private final StringBuffer notices = new StringBuffer();
    private final AtomicLong received = new AtomicLong();
    private final java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    private final boolean reading;
    public final CompletableFuture<int[]> closed = new CompletableFuture<>();
    public volatile String closeReason;
    private WebSocket socket;

    private WsClient(boolean reading) {
        this.reading = reading;
    }

    /** Connects, or returns the HTTP status of the refused upgrade as a negative number in {@link Refused}. */
    public static WsClient connect(URI uri, Map<String, String> headers, boolean reading) {
        WsClient client = new WsClient(reading);
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(b::header);
        try {
            client.socket = b.buildAsync(uri, client).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                throw new Refused(h.getResponse().statusCode(), String.valueOf(h.getResponse().body()));
            }
            throw e;
        }
        return client;
    }

    /** An upgrade the server answered with an HTTP error. */
    public static final class Refused extends RuntimeException {
        public final int status;

        Refused(int status, String body) {
            super("upgrade refused with " + status + ": " + body);
            this.status = status;
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        synchronized (crc) {
            crc.update(data.duplicate());
        }
        received.addAndGet(data.remaining());
        text.append(StandardCharsets.ISO_8859_1.decode(data));
        if (reading) {
            webSocket.request(1);
        }
        return null;
    }

    /** Text frames are the controller's own notices (a watcher's dropped input), not the lab's bytes. */
    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        notices.append(data);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closed.complete(new int[] {statusCode});
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new int[] {-1});
    }

    public String text() {
        return text.toString();
    }

    /** What the controller said in text frames. */
    public String notices() {
        return notices.toString();
    }

    public long received() {
        return received.get();
    }

    /** CRC-32 of every binary byte received so far. */
    public long crc() {
        synchronized (crc) {
            return crc.getValue();
        }
    }

    /** Sends a copy of the bytes; completes when the client's socket took them. */
    public CompletableFuture<WebSocket> sendAsync(byte[] bytes) {
        return socket.sendBinary(ByteBuffer.wrap(bytes.clone()), true);
    }

    public void send(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    public void send(String s) {
        socket.sendBinary(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)), true).join();
    }

    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null).join();
        }
    }

    public int closeCode() {
        return closed.join()[0];
    }

    /** The close code, failing (instead of hanging) if the server has not closed within the time. */
    public int closeCodeWithin(long seconds) throws Exception {
        return closed.get(seconds, java.util.concurrent.TimeUnit.SECONDS)[0];
    }
}
