package org.labcontroller.access;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.labcontroller.problem.ErrorCode;

/**
 * A lab's stream as another replica serves it: the websocket this replica opened to the owner
 * (see {@link Relays}, which hands it over paused), seen as a {@link Backend} so the ordinary bridge carries the viewer's bytes
 * both ways with the same flow control. The owner's close code and reason reach the viewer as
 * they are (a screen taken over, a lab stopped).
 */
final class RelayBackend implements Backend {
    /** How the owner ended the relayed stream. */
    static final class Ended extends Exception {
        final ErrorCode code;

        Ended(ErrorCode code, String reason) {
            super(reason, null, false, false);
            this.code = code;
        }

        static Ended of(Short closeCode, String reason) {
            return (closeCode == null ? java.util.Optional.<ErrorCode>empty() : ErrorCode.forCloseCode(closeCode))
                    .map(c -> new Ended(c, reason == null || reason.isBlank() ? c.title() : reason))
                    .orElseGet(() -> new Ended(ErrorCode.UNAVAILABLE, "The replica serving this lab closed the stream; reconnect to try again"));
        }
    }

    private final WebSocket ws;
    private final List<Runnable> drains = new CopyOnWriteArrayList<>();
    // NOTE: the end is reported once, by whichever comes first: the owner's close, an error, or close().
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Listener listener;

    RelayBackend(WebSocket ws) {
        this.ws = ws;
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        ws.handler(data -> listener.onData(Unpooled.wrappedBuffer(data.getBytes())));
        ws.closeHandler(v -> end(Ended.of(ws.closeStatusCode(), ws.closeReason())));
        ws.exceptionHandler(this::end);
        ws.drainHandler(v -> drains.forEach(this::runDrain));
        if (ws.isClosed()) {
            end(Ended.of(ws.closeStatusCode(), ws.closeReason()));
        }
        ws.resume(); // paused since the dial (see Relays)
    }

    private void runDrain(Runnable drain) {
        if (drains.remove(drain)) {
            drain.run();
        }
    }

    private void end(Throwable cause) {
        if (ended.compareAndSet(false, true) && listener != null) {
            listener.onEnd(cause);
        }
    }

    @Override
    public void pauseReading() {
        ws.pause();
    }

    @Override
    public void resumeReading() {
        ws.resume();
    }

    @Override
    public void write(Buffer data) {
        if (!ws.isClosed()) {
            ws.writeBinaryMessage(data);
        }
    }

    @Override
    public boolean writeQueueFull() {
        return !ws.isClosed() && ws.writeQueueFull();
    }

    @Override
    public void onDrain(Runnable drained) {
        drains.add(drained);
        if (!writeQueueFull()) {
            runDrain(drained); // drained before (or while) it was registered
        }
    }

    @Override
    public void close() {
        if (!ws.isClosed()) {
            ws.close();
        }
        end(null);
    }
}
