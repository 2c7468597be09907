package org.labcontroller.access;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoop;
import io.netty.channel.nio.NioTask;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Supplier;

/**
 * A selectable lab channel (a QEMU unix socket) served by a Vert.x event loop's own selector,
 * normally the loop of the websocket it feeds. So a screen stream runs on one thread end to end:
 * no hand-off between threads per chunk, and a read lands in a pooled direct buffer that the
 * websocket writes without copying it again. Reads grow up to {@link #MAX_READ} while the lab
 * keeps them full (fewer system calls per byte) and shrink again when it goes quiet.
 */
final class LoopBackend implements Backend, NioTask<SocketChannel> {
    private static final int MIN_READ = 4 * 1024;
    private static final int MAX_READ = 4 * 1024 * 1024;
    private static final int READS_PER_WAKEUP = 4;
    private final SocketChannel channel;
    private final Supplier<EventLoop> chooser;
    private final LabWriteQueue toLab;
    // NOTE: everything below except `loop` and `closed` is touched only on `loop`'s thread;
    // calls from other threads (another viewer's event loop, a worker) hop onto it first.
    // `closed` stops new work at once from any thread; `ended` (loop only) makes the end, and the
    // listener's onEnd, happen once. A close before start is ended by start, on the loop.
    private volatile NioEventLoop loop;
    private Listener listener;
    private SelectionKey key;
    private boolean readPaused;
    private boolean ended;
    private int readSize = 64 * 1024;
    private volatile boolean closed;

    /** {@code chooser} picks the event loop at start: the caller's own, else one of Vert.x's. */
    LoopBackend(SocketChannel channel, Supplier<EventLoop> chooser, int maxQueued) throws IOException {
        this.channel = channel;
        this.chooser = chooser;
        this.toLab = new LabWriteQueue(maxQueued);
        channel.configureBlocking(false);
        if (channel.getRemoteAddress() instanceof InetSocketAddress) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // keystrokes go out at once
        }
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        this.loop = VertxInternals.nio(chooser.get());
        // Registering for OP_WRITE too makes the loop call back at once (a fresh socket is
        // writable), which hands us the selection key; interest is narrowed there.
        // NOTE: registered from a task on the loop: register() from another thread would wait for
        // the loop (a console hub starts its backend on its own context, which is that loop).
        onLoop(() -> {
            if (closed) {
                end(null);
            } else {
                loop.register(channel, SelectionKey.OP_READ | SelectionKey.OP_WRITE, this);
            }
        });
    }

    @Override
    public void channelReady(SocketChannel ch, SelectionKey k) {
        key = k;
        if (k.isWritable()) {
            flush();
        }
        if (!closed && k.isReadable() && !readPaused) {
            read();
        }
        updateInterest();
    }

    @Override
    public void channelUnregistered(SocketChannel ch, Throwable cause) {
        end(cause);
    }

    private void read() {
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        for (int i = 0; i < READS_PER_WAKEUP && !closed && !readPaused; i++) {
            ByteBuf buf = alloc.directBuffer(readSize);
            int n;
            try {
                n = channel.read(buf.nioBuffer(0, readSize));
            } catch (IOException e) {
                buf.release();
                end(e);
                return;
            }
            if (n <= 0) {
                buf.release();
                if (n < 0) {
                    end(null);
                }
                return;
            }
            buf.writerIndex(n);
            boolean full = n == readSize;
            readSize = full ? Math.min(MAX_READ, readSize * 2) : n < readSize / 4 ? Math.max(MIN_READ, readSize / 2) : readSize;
            if (n < buf.capacity() / 4) {
                // A small read in a big buffer: hand on a copy of just the bytes, so a queue of
                // small chunks never pins big buffers.
                ByteBuf exact = alloc.directBuffer(n).writeBytes(buf);
                buf.release();
                buf = exact;
            }
            listener.onData(buf);
            if (!full) {
                return;
            }
        }
    }

    @Override
    public void pauseReading() {
        onLoop(() -> {
            readPaused = true;
            updateInterest();
        });
    }

    @Override
    public void resumeReading() {
        onLoop(() -> {
            readPaused = false;
            updateInterest();
        });
    }

    @Override
    public void write(Buffer data) {
        if (closed) {
            return;
        }
        toLab.accept(data);
        onLoop(() -> {
            if (toLab.add(data)) {
                flush();
                updateInterest();
            }
        });
    }

    @Override
    public boolean writeQueueFull() {
        return toLab.full();
    }

    @Override
    public void onDrain(Runnable whenDrained) {
        onLoop(() -> toLab.onDrain(whenDrained));
    }

    @Override
    public void close() {
        closed = true;
        if (loop == null) {
            closeChannel(); // never started: nothing is registered yet, and start will tell the listener
        } else {
            onLoop(() -> end(null));
        }
    }

    private void flush() {
        try {
            toLab.flushTo(channel);
        } catch (IOException e) {
            end(e);
        }
    }

    private void updateInterest() {
        if (key == null || closed) {
            return;
        }
        int ops = (readPaused ? 0 : SelectionKey.OP_READ) | (toLab.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        if (!key.isValid()) {
            // The loop rebuilt its selector (Netty's workaround for a JDK selector bug): register anew.
            key = null;
            loop.register(channel, ops | SelectionKey.OP_WRITE, this);
        } else if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    private void onLoop(Runnable task) {
        if (loop != null && loop.inEventLoop()) {
            task.run();
        } else if (loop != null) {
            loop.execute(task);
        }
    }

    /** The one ending, on the loop: whatever ended the stream, the listener hears it once. */
    private void end(Throwable cause) {
        if (ended) {
            return;
        }
        ended = true;
        closed = true;
        if (key != null) {
            key.cancel();
        }
        closeChannel();
        toLab.clear();
        listener.onEnd(cause);
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already ending
        }
    }
}
