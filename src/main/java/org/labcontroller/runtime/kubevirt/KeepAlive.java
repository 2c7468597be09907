package org.labcontroller.runtime.kubevirt;

import io.fabric8.kubernetes.client.http.WebSocket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Pings a KubeVirt stream's websocket at an interval and gives the stream up when a ping stays
 * unanswered past the pong deadline, so a virt-api that vanished without a close frame does not
 * hold the lab's one console or VNC slot for ever. Apart from {@link WebSocketChannel} because
 * it is the one place that reaches below fabric8's websocket interface.
 */
final class KeepAlive {
    /** The stream kept alive: whether it is over already, and how it is given up. */
    interface Stream {
        boolean over();

        void dead(String reason);
    }

    private final ScheduledFuture<?> task;
    // NOTE: the scheduler's thread sends pings and checks the deadline, the websocket's thread
    // records pongs; both only touch these volatile fields.
    private volatile long unansweredSince;
    private volatile int pongs;

    private KeepAlive(WebSocketBase ws, Stream stream, ScheduledExecutorService scheduler, Duration interval, Duration pongTimeout) {
        ws.pongHandler(data -> {
            unansweredSince = 0;
            pongs++;
        });
        long deadline = pongTimeout.toNanos();
        task = scheduler.scheduleAtFixedRate(() -> {
            if (stream.over()) {
                stop();
                return;
            }
            long since = unansweredSince;
            long now = System.nanoTime();
            if (since != 0 && now - since > deadline) {
                stop();
                stream.dead("KubeVirt answered no ping for " + pongTimeout.toSeconds() + "s; the stream to it was closed as dead.");
                ws.close();
                return;
            }
            if (since == 0) {
                unansweredSince = now == 0 ? 1 : now;
            }
            ws.writePing(Buffer.buffer());
        }, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Starts pinging; empty without access to websocket control frames (an HTTP client other than
     * Vert.x) or with no interval: the stream then goes without keep-alive.
     */
    static Optional<KeepAlive> start(WebSocket socket, Stream stream, ScheduledExecutorService scheduler,
                                     Duration interval, Duration pongTimeout) {
        if (interval.isZero() || interval.isNegative()) {
            return Optional.empty();
        }
        return controlFrames(socket).map(ws -> new KeepAlive(ws, stream, scheduler, interval, pongTimeout));
    }

    /** How many pongs KubeVirt sent (for tests). */
    int pongs() {
        return pongs;
    }

    void stop() {
        task.cancel(false);
    }

    /**
     * NOTE: fabric8's websocket interface has no ping or pong; its Vert.x implementation wraps a
     * Vert.x websocket, which has both, in its field {@code ws}. Reached by reflection in this one
     * place; anything else (another HTTP client, a renamed field) means no keep-alive, not a failure.
     */
    private static Optional<WebSocketBase> controlFrames(WebSocket webSocket) {
        for (Class<?> c = webSocket == null ? null : webSocket.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField("ws");
                field.setAccessible(true);
                return field.get(webSocket) instanceof WebSocketBase ws ? Optional.of(ws) : Optional.empty();
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (ReflectiveOperationException | RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
