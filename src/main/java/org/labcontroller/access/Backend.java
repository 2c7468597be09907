package org.labcontroller.access;

import io.netty.buffer.ByteBuf;
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

        /** The backend ended (EOF) or failed; {@code cause} is null on a clean end. */
        void onEnd(Throwable cause);
    }

    void start(Listener listener);

    void pauseReading();

    void resumeReading();

    /** Queues bytes towards the lab; never blocks. */
    void write(Buffer data);

    /** Whether the write queue is over its bound: the caller should pause its source. */
    boolean writeQueueFull();

    /** Called once, from any thread, when the write queue has drained below its bound. */
    void onDrain(Runnable drained);

    void close();
}
