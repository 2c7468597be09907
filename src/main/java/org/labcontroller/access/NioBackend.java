package org.labcontroller.access;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * A selectable lab channel (a QEMU unix socket) served by the {@link SelectorLoop}: reads happen
 * on the loop thread into its shared buffer; writes go straight to the socket and only what the
 * socket does not take at once is queued.
 */
final class NioBackend implements Backend, SelectorLoop.Ready {
    private static final int READS_PER_WAKEUP = 4;
    private final SocketChannel channel;
    private final SelectorLoop loop;
    private final int maxQueued;
    private Listener listener;
    private SelectionKey key;
    // NOTE: `pending`, `pendingBytes` and `drained` are guarded by `this`; writers are Vert.x event
    // loops, the flusher is the selector thread.
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private long pendingBytes;
    private Runnable drained;
    private volatile boolean closed;

    NioBackend(SocketChannel channel, SelectorLoop loop, int maxQueued) throws IOException {
        this.channel = channel;
        this.loop = loop;
        this.maxQueued = maxQueued;
        channel.configureBlocking(false);
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        loop.execute(() -> {
            try {
                key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
                if (pendingBytes() > 0) {
                    key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
                }
            } catch (ClosedChannelException e) {
                end(e);
            }
        });
    }

    @Override
    public void ready(SelectionKey k, ByteBuffer scratch) {
        if (k.isWritable()) {
            flush();
        }
        // A few reads per wake-up while data keeps coming: fewer selector round trips per byte.
        for (int i = 0; i < READS_PER_WAKEUP && k.isValid() && k.isReadable() && (k.interestOps() & SelectionKey.OP_READ) != 0; i++) {
            scratch.clear();
            int n;
            try {
                n = channel.read(scratch);
            } catch (IOException e) {
                end(e);
                return;
            }
            if (n < 0) {
                end(null);
                return;
            }
            if (n == 0) {
                return;
            }
            scratch.flip();
            byte[] bytes = new byte[n];
            scratch.get(bytes);
            listener.onData(Buffer.buffer(bytes));
            if (n < scratch.capacity()) {
                return;
            }
        }
    }

    @Override
    public void pauseReading() {
        loop.execute(() -> setInterest(SelectionKey.OP_READ, false));
    }

    @Override
    public void resumeReading() {
        loop.execute(() -> setInterest(SelectionKey.OP_READ, true));
    }

    @Override
    public void write(Buffer data) {
        if (closed) {
            return;
        }
        ByteBuffer b = data.getByteBuf().nioBuffer();
        boolean needFlush;
        synchronized (this) {
            if (pending.isEmpty()) {
                try {
                    channel.write(b);
                } catch (IOException e) {
                    loop.execute(() -> end(e));
                    return;
                }
            }
            if (b.hasRemaining()) {
                pending.add(b);
                pendingBytes += b.remaining();
            }
            needFlush = pendingBytes > 0;
        }
        if (needFlush) {
            loop.execute(() -> setInterest(SelectionKey.OP_WRITE, true));
        }
    }

    @Override
    public synchronized boolean writeQueueFull() {
        return pendingBytes >= maxQueued;
    }

    @Override
    public synchronized void onDrain(Runnable drained) {
        if (pendingBytes < maxQueued) {
            drained.run();
        } else {
            this.drained = drained;
        }
    }

    @Override
    public void close() {
        closed = true;
        loop.execute(() -> {
            if (key != null) {
                key.cancel();
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        });
    }

    private synchronized long pendingBytes() {
        return pendingBytes;
    }

    private void flush() {
        Runnable toRun = null;
        synchronized (this) {
            try {
                while (!pending.isEmpty()) {
                    ByteBuffer b = pending.peek();
                    int n = channel.write(b);
                    pendingBytes -= n;
                    if (b.hasRemaining()) {
                        break;
                    }
                    pending.poll();
                }
            } catch (IOException e) {
                end(e);
                return;
            }
            if (pending.isEmpty()) {
                setInterest(SelectionKey.OP_WRITE, false);
            }
            if (pendingBytes < maxQueued && drained != null) {
                toRun = drained;
                drained = null;
            }
        }
        if (toRun != null) {
            toRun.run();
        }
    }

    private void setInterest(int op, boolean on) {
        if (key != null && key.isValid()) {
            key.interestOps(on ? key.interestOps() | op : key.interestOps() & ~op);
        }
    }

    private void end(Throwable cause) {
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // already failing
        }
        if (!closed) {
            closed = true;
            listener.onEnd(cause);
        }
    }
}
