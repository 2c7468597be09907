package org.labcontroller.runtime.kubevirt;

import io.fabric8.kubernetes.client.http.WebSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A KubeVirt console or VNC websocket seen as the blocking {@link ByteChannel} the lab feature
 * expects of every runtime: reads return the bytes of binary frames in order, writes send one binary
 * frame each. Frames wait in a bounded buffer; while it is full no further frame is requested, so a
 * slow reader slows KubeVirt down instead of filling the controller's memory.
 *
 * <p>While open, the channel pings KubeVirt ({@link KeepAlive}); a ping left unanswered past the pong
 * deadline ends the stream (readers get the reason) and closes the websocket. A channel
 * closed before its handshake completed (a dial given up on) closes the socket as soon as it opens.
 */
final class WebSocketChannel implements ByteChannel, WebSocket.Listener {
    private static final long MAX_QUEUED_WRITE_BYTES = 1 << 20;

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    // NOTE: frames, buffered bytes, the demand flag and the end state are guarded by lock; the
    // websocket's thread appends, the reader's thread takes. request() and send() are called
    // outside the lock, because the client may deliver the next frame from inside request().
    private final ArrayDeque<ByteBuffer> frames = new ArrayDeque<>();
    private int buffered;
    private boolean demandWithheld;
    private boolean remoteEnded;
    private String failure;
    private volatile boolean closed;
    private volatile WebSocket socket;
    private volatile KeepAlive keeper;

    WebSocketChannel(int capacity) {
        this.capacity = capacity;
    }

    /** Binds the channel to its socket once the handshake completed. */
    void attach(WebSocket webSocket) {
        onOpen(webSocket);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        this.socket = webSocket;
        // NOTE: close() writes closed then reads socket; this writes socket then reads closed. Both
        // are volatile, so a close racing a late handshake is seen by at least one side (a second
        // sendClose is ignored): a dial given up on never keeps KubeVirt's slot.
        if (closed) {
            webSocket.sendClose(1000, "the controller gave up waiting for the stream");
        }
    }

    /**
     * Pings KubeVirt every {@code interval}; ends the stream when a ping stays unanswered longer
     * than {@code pongTimeout} ({@link KeepAlive}). Returns whether pings are sent.
     */
    boolean keepAlive(ScheduledExecutorService scheduler, Duration interval, Duration pongTimeout) {
        keeper = KeepAlive.start(socket, new KeepAlive.Stream() {
            @Override
            public boolean over() {
                return closed || ended();
            }

            @Override
            public void dead(String reason) {
                end(reason);
                socket.sendClose(1001, "no pong within " + pongTimeout.toSeconds() + "s");
            }
        }, scheduler, interval, pongTimeout).orElse(null);
        return keeper != null;
    }

    /** How many pongs KubeVirt sent (for tests). */
    int pongs() {
        KeepAlive k = keeper;
        return k == null ? 0 : k.pongs();
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteBuffer bytes) {
        boolean more;
        lock.lock();
        try {
            frames.add(bytes);
            buffered += bytes.remaining();
            more = buffered < capacity;
            demandWithheld = !more;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
        if (more) {
            webSocket.request();
        }
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        onMessage(webSocket, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void onClose(WebSocket webSocket, int code, String reason) {
        end(code == 1000 ? null : "KubeVirt closed the stream (" + code + (reason == null || reason.isBlank() ? "" : ", " + reason) + ")");
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        end("The stream to KubeVirt failed: " + error.getMessage());
    }

    /** Blocks until bytes arrive; -1 once KubeVirt ended the stream and every byte was read. */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        int read = 0;
        boolean resume = false;
        lock.lock();
        try {
            while (frames.isEmpty() && !remoteEnded && !closed) {
                readable.awaitUninterruptibly();
            }
            if (closed) {
                throw new ClosedChannelException();
            }
            if (frames.isEmpty()) {
                if (failure != null) {
                    throw new IOException(failure);
                }
                return -1;
            }
            while (dst.hasRemaining() && !frames.isEmpty()) {
                ByteBuffer head = frames.peek();
                int n = Math.min(dst.remaining(), head.remaining());
                ByteBuffer slice = head.slice(head.position(), n);
                dst.put(slice);
                head.position(head.position() + n);
                read += n;
                if (!head.hasRemaining()) {
                    frames.poll();
                }
            }
            buffered -= read;
            if (demandWithheld && buffered < capacity) {
                demandWithheld = false;
                resume = true;
            }
        } finally {
            lock.unlock();
        }
        if (resume) {
            socket.request();
        }
        return read;
    }

    /** Sends the bytes as one binary frame; waits while more than 1 MiB is still queued for sending. */
    @Override
    public int write(ByteBuffer src) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        WebSocket webSocket = socket;
        while (webSocket.queueSize() > MAX_QUEUED_WRITE_BYTES && !closed && !ended()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        if (ended()) {
            throw new IOException(failure != null ? failure : "KubeVirt closed the stream.");
        }
        int n = src.remaining();
        ByteBuffer frame = ByteBuffer.allocate(n).put(src).flip();
        if (!webSocket.send(frame)) {
            throw new IOException("The stream to KubeVirt no longer takes data.");
        }
        return n;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /** Closes the websocket (normal closure) and wakes a blocked reader. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        KeepAlive k = keeper;
        if (k != null) {
            k.stop();
        }
        lock.lock();
        try {
            readable.signalAll();
        } finally {
            lock.unlock();
        }
        WebSocket webSocket = socket;
        if (webSocket != null) {
            webSocket.sendClose(1000, "closed by the controller");
        }
    }

    private boolean ended() {
        lock.lock();
        try {
            return remoteEnded;
        } finally {
            lock.unlock();
        }
    }

    private void end(String reason) {
        lock.lock();
        try {
            if (!remoteEnded) {
                remoteEnded = true;
                failure = reason;
            }
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
