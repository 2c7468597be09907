package org.labcontroller.access;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lab channel that cannot be selected (for example KubeVirt's websocket adapted to a channel),
 * served by two virtual threads: a reader that honours pause/resume and a writer fed in order.
 * Whichever ends it first (EOF, a read or write error, a close) ends it for both, once.
 */
final class BlockingBackend implements Backend {
    private static final int READ_BUFFER = 16 * 1024;

    private final ByteChannel channel;
    private final int maxQueued;
    // NOTE: the writer is a single virtual thread, so writes reach the lab in order; `queued`
    // counts bytes handed to it and not yet written. The reader waits on `resumed` while paused.
    // Writers that found the queue full wait in `waiting` (guarded by `this`) and a drain wakes
    // them all. `ended` is set once, under `this`; the listener hears of the end once both it and the end exist.
    private final ExecutorService writer = Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
    private final AtomicLong queued = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition resumed = lock.newCondition();
    private final AtomicBoolean ended = new AtomicBoolean();
    private boolean paused;
    private List<Runnable> waiting = new ArrayList<>();
    private Listener listener;
    private Throwable endCause;
    private boolean told;

    BlockingBackend(ByteChannel channel, int maxQueued) {
        this.channel = channel;
        this.maxQueued = maxQueued;
    }

    @Override
    public void start(Listener listener) {
        synchronized (this) {
            this.listener = listener;
        }
        Thread.ofVirtual().name("stream-reader").start(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
            try {
                while (!ended.get()) {
                    awaitResumed();
                    buffer.clear();
                    int n = channel.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    listener.onData(Unpooled.copiedBuffer(buffer.array(), 0, n));
                }
                end(null);
            } catch (IOException | InterruptedException e) {
                end(e);
            }
        });
        tellEnd();
    }

    private void awaitResumed() throws InterruptedException {
        lock.lock();
        try {
            while (paused && !ended.get()) {
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
        if (ended.get()) {
            return;
        }
        int n = data.length();
        queued.addAndGet(n);
        writer.execute(() -> {
            try {
                ByteBuffer b = ByteBuffer.wrap(data.getBytes());
                while (b.hasRemaining() && !ended.get()) {
                    channel.write(b);
                }
            } catch (IOException e) {
                end(e);
            }
            if (queued.addAndGet(-n) < maxQueued) {
                List<Runnable> woken;
                synchronized (this) {
                    woken = waiting;
                    waiting = new ArrayList<>();
                }
                woken.forEach(Runnable::run);
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
                waiting.add(drained);
                return;
            }
        }
        drained.run();
    }

    @Override
    public void close() {
        end(null);
    }

    /** The one ending: stops both threads, closes the channel, then tells the listener. */
    private void end(Throwable cause) {
        synchronized (this) {
            if (ended.get()) {
                return;
            }
            ended.set(true);
            endCause = cause;
            waiting.clear();
        }
        resumeReading();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        tellEnd();
        writer.shutdownNow();
    }

    private void tellEnd() {
        Listener l;
        Throwable cause;
        synchronized (this) {
            if (told || listener == null || !ended.get()) {
                return;
            }
            told = true;
            l = listener;
            cause = endCause;
        }
        l.onEnd(cause);
    }
}
