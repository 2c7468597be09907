package org.labcontroller.access;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

/**
 * A lab's end of a stream (a QEMU socket, a KubeVirt websocket) seen with the same flow-control
 * verbs as a Vert.x websocket: data arrives through a listener, reading can be paused, writes are
 * queued up to a bound and a drain callback says when there is room again. The bridges speak only
 * this, whatever the runtime's channel is.
 */
interface Backend {

    /** Receives what the lab sends. Called from the backend's own thread, never concurrently. */
    interface Listener {
        /** The buffer becomes the listener's: it releases it (once written, typically). */
        void onData(ByteBuf data);

        /**
         * The backend ended, called exactly once whatever ended it: the lab's EOF ({@code cause}
         * null), a read or write error (the cause), or {@link #close()} (null).
         */
        void onEnd(Throwable cause);
    }

    /** Starts reading; a backend closed before it started reports its end from here. */
    void start(Listener listener);

    void pauseReading();

    void resumeReading();

    /** Queues bytes towards the lab; never blocks. */
    void write(Buffer data);

    /** Whether the write queue is over its bound: the caller should pause its source. */
    boolean writeQueueFull();

    /**
     * Runs {@code drained} once, from any thread, when the write queue is below its bound (at once
     * if it is already). Each writer (each viewer typing into a shared console) registers its own;
     * a drain runs every one registered, so no paused writer is forgotten.
     */
    void onDrain(Runnable drained);

    void close();
}
