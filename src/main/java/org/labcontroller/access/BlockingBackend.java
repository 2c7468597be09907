package org.labcontroller.access;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lab channel that cannot be selected (for example KubeVirt's websocket adapted to a channel),
 * served by two virtual threads: a reader that honours pause/resume and a writer fed in order.
 */
final class BlockingBackend implements Backend {
    private static final int READ_BUFFER = 16 * 1024;

    private final ByteChannel channel;
    private final int maxQueued;
    // NOTE: the writer is a single virtual thread, so writes reach the lab in order; `queued`
    // counts bytes handed to it and not yet written. The reader waits on `resumed` while paused.
    private final ExecutorService writer = Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
    private final AtomicLong queued = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition resumed = lock.newCondition();
    private boolean paused;
    private Runnable drained;
    private volatile boolean closed;

    BlockingBackend(ByteChannel channel, int maxQueued) {
        this.channel = channel;
        this.maxQueued = maxQueued;
    }

    @Override
    public void start(Listener listener) {
        Thread.ofVirtual().name("stream-reader").start(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
            Throwable cause = null;
            try {
                while (!closed) {
                    awaitResumed();
                    buffer.clear();
                    int n = channel.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    listener.onData(Unpooled.copiedBuffer(buffer.array(), 0, n));
                }
            } catch (IOException | InterruptedException e) {
                cause = closed ? null : e;
            }
            if (!closed) {
                closed = true;
                listener.onEnd(cause);
            }
        });
    }

    private void awaitResumed() throws InterruptedException {
        lock.lock();
        try {
            while (paused && !closed) {
                resumed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void pauseReading() {
        lock.lock();
        paused = true;
        lock.unlock();
    }

    @Override
    public void resumeReading() {
        lock.lock();
        try {
            paused = false;
            resumed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(Buffer data) {
        int n = data.length();
        queued.addAndGet(n);
        writer.execute(() -> {
            try {
                ByteBuffer b = ByteBuffer.wrap(data.getBytes());
                while (b.hasRemaining() && !closed) {
                    channel.write(b);
                }
            } catch (IOException e) {
                close();
            }
            if (queued.addAndGet(-n) < maxQueued) {
                Runnable r;
                synchronized (this) {
                    r = drained;
                    drained = null;
                }
                if (r != null) {
                    r.run();
                }
            }
        });
    }

    @Override
    public boolean writeQueueFull() {
        return queued.get() >= maxQueued;
    }

    @Override
    public void onDrain(Runnable drained) {
        synchronized (this) {
            if (queued.get() >= maxQueued) {
                this.drained = drained;
                return;
            }
        }
        drained.run();
    }

    @Override
    public void close() {
        closed = true;
        resumeReading();
        writer.shutdownNow();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
