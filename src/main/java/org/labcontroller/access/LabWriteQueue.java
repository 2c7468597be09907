package org.labcontroller.access;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a browser typed that the lab's non-blocking socket has not taken yet, with the bound that
 * pauses the browser and the callback that resumes it: the write half of {@link LoopBackend}.
 */
final class LabWriteQueue {
    private final int maxQueued;
    // NOTE: `queued` is counted when a write is accepted on any thread, before it reaches the
    // backend's loop; the deque and `waiting` are touched only on that loop. Every writer that
    // found the queue full waits in `waiting` (one per viewer typing), and a drain wakes them all.
    private final AtomicLong queued = new AtomicLong();
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private List<Runnable> waiting = new ArrayList<>();

    LabWriteQueue(int maxQueued) {
        this.maxQueued = maxQueued;
    }

    /** Counts bytes the caller is about to hand over (any thread). */
    void accept(Buffer data) {
        queued.addAndGet(data.length());
    }

    /** Appends on the loop; true if the queue was empty (so nothing is waiting for OP_WRITE yet). */
    boolean add(Buffer data) {
        pending.add(data.getByteBuf().nioBuffer());
        return pending.size() == 1;
    }

    boolean full() {
        return queued.get() >= maxQueued;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /**
     * Runs {@code whenDrained} now if under the bound, else once a flush gets under it (on the loop),
     * beside every other writer already waiting.
     */
    void onDrain(Runnable whenDrained) {
        if (full()) {
            waiting.add(whenDrained);
        } else {
            whenDrained.run();
        }
    }

    /** Writes what the socket takes without blocking, then resumes the browser if under the bound. */
    void flushTo(WritableByteChannel channel) throws IOException {
        while (!pending.isEmpty()) {
            ByteBuffer b = pending.peek();
            queued.addAndGet(-channel.write(b));
            if (b.hasRemaining()) {
                break;
            }
            pending.poll();
        }
        if (!waiting.isEmpty() && !full()) {
            List<Runnable> woken = waiting;
            waiting = new ArrayList<>();
            woken.forEach(Runnable::run);
        }
    }

    /** Drops what was not written; a writer still waiting is ended with its stream, not woken. */
    void clear() {
        pending.clear();
        waiting.clear();
    }
}
