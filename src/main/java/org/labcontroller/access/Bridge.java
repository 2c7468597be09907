package org.labcontroller.access;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import org.labcontroller.problem.ErrorCode;

/**
 * A one-to-one stream between a browser and a lab (the screen): one pump per direction, each
 * pausing its source while its sink's queue is full, so neither side can grow memory without
 * bound; the first side to end closes both.
 */
final class Bridge {
    private Bridge() {
    }

    static void connect(StreamSession session, Backend backend, StreamMetrics metrics) {
        var ws = session.ws;
        session.whenClosed(s -> backend.close());
        backend.start(new Backend.Listener() {
            @Override
            public void onData(ByteBuf data) {
                int n = data.readableBytes();
                session.toBrowser.addAndGet(n);
                metrics.toBrowser(session.kind, n);
                toBrowser(session, data);
                if (queueFull(ws)) {
                    // NOTE: runs on the backend's thread; the drain handler runs on the websocket's
                    // event loop and resumes the backend from there. The queue may drain before the
                    // handler is set, so look again after setting it (resuming twice is harmless).
                    backend.pauseReading();
                    whenDrained(ws, backend::resumeReading);
                    if (!queueFull(ws)) {
                        backend.resumeReading();
                    }
                }
            }

            @Override
            public void onEnd(Throwable cause) {
                if (cause instanceof RelayBackend.Ended relayed) {
                    session.close(relayed.code, relayed.getMessage());
                } else if (cause == null) {
                    session.close(ErrorCode.LAB_STOPPED, "The lab's stream ended: the lab stopped or restarted");
                } else {
                    session.close(ErrorCode.UNAVAILABLE, "The connection to the lab failed; reconnect to try again");
                }
            }
        });
        pumpFromBrowser(session, backend, metrics);
    }

    /**
     * One binary frame per read, however big. Vert.x's own write would copy a pooled direct buffer
     * to the heap (and Netty back to a direct buffer); written on the websocket's pipeline, the
     * lab's bytes go from the read buffer to the socket, and Netty releases the buffer.
     */
    static void toBrowser(StreamSession session, ByteBuf data) {
        if (session.ws.isClosed()) {
            data.release();
            return;
        }
        session.pipeline.writeAndFlush(new BinaryWebSocketFrame(true, 0, data), session.pipeline.voidPromise());
    }

    /**
     * The browser-to-lab pump, shared by the screen bridge and the console hub: what the browser
     * sends goes to the lab (for a watcher, only what {@link BrowserInput} lets through), and the
     * browser is paused while the lab's write queue is full.
     */
    static void pumpFromBrowser(StreamSession session, Backend backend, StreamMetrics metrics) {
        var ws = session.ws;
        BrowserInput input = new BrowserInput(session);
        try {
            ws.handler(data -> {
                session.fromBrowser.addAndGet(data.length());
                metrics.fromBrowser(session.kind, data.length());
                Buffer toLab = input.pass(data);
                if (toLab == null) {
                    return; // a watcher's input, dropped
                }
                backend.write(toLab);
                if (backend.writeQueueFull()) {
                    ws.pause();
                    backend.onDrain(ws::resume);
                }
            });
        } catch (IllegalStateException closed) {
            session.browserClosed(); // gone before its pump was set up
        }
    }

    /**
     * Whether the websocket's queue is over its bound; a closed one is not (Vert.x throws instead
     * of answering, and a closed session is being ended anyway).
     */
    static boolean queueFull(ServerWebSocket ws) {
        try {
            return ws.writeQueueFull();
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    /** Runs {@code drained} when the websocket's queue drains; never, if it closed meanwhile. */
    static void whenDrained(ServerWebSocket ws, Runnable drained) {
        try {
            ws.drainHandler(v -> drained.run());
        } catch (IllegalStateException closed) {
            // the session's close ends what waited for the drain
        }
    }
}
