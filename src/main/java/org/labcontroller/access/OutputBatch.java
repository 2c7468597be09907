package org.labcontroller.access;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.Context;
import java.util.function.Consumer;

/**
 * Gathers a console's output into fewer, larger frames. An emulated serial port writes its bytes
 * to the socket one at a time, so each read brings a few bytes, and without this every viewer got a
 * websocket frame (the controller a write per viewer) for each read. Output waits at most
 * {@code delayMillis} (a keystroke's echo stays immediate to a person), or until {@code maxBytes}
 * gathered. The lab is still read at once: pausing it instead stalled the guest, because the
 * socket's buffer holds only a few hundred one-byte writes. Belongs to its hub's context.
 */
final class OutputBatch {
    private final Context ctx;
    private final long delayMillis;
    private final int maxBytes;
    private final Consumer<Buffer> sink;
    // NOTE: touched only on ctx (the hub's context), so no locks; the timer is set while running on
    // ctx, so Vert.x runs its handler on ctx too.
    private Buffer pending;
    private long timer = -1;

    OutputBatch(Context ctx, long delayMillis, int maxBytes, Consumer<Buffer> sink) {
        this.ctx = ctx;
        this.delayMillis = delayMillis;
        this.maxBytes = maxBytes;
        this.sink = sink;
    }

    /** Adds output; it reaches the sink within the delay, or at once when the batch is full. */
    void add(Buffer data) {
        if (pending == null) {
            pending = Buffer.buffer(Math.max(data.length(), 1024));
        }
        pending.appendBuffer(data);
        if (pending.length() >= maxBytes || delayMillis <= 0) {
            flush();
        } else if (timer < 0) {
            timer = ctx.owner().setTimer(delayMillis, t -> {
                timer = -1;
                flush();
            });
        }
    }

    /** Hands what has gathered to the sink now (before a viewer joins, or the hub ends). */
    void flush() {
        if (timer >= 0) {
            ctx.owner().cancelTimer(timer);
            timer = -1;
        }
        if (pending != null) {
            Buffer out = pending;
            pending = null;
            sink.accept(out);
        }
    }
}
