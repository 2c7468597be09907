package org.labcontroller.access;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lab channel the test drives by hand (a stand-in for KubeVirt's adapted websocket, which is not
 * selectable): reads return what the test {@link #emit}s and block otherwise, writes wait for
 * {@link #openWrites} while held, or fail when told to.
 */
final class FakeLabChannel implements ByteChannel {
    private static final byte[] EOF = new byte[0];
    private final LinkedBlockingQueue<byte[]> toRead = new LinkedBlockingQueue<>();
    private final CountDownLatch writesOpen;
    volatile boolean failWrites;
    final AtomicInteger written = new AtomicInteger();
    final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean open = true;

    FakeLabChannel(boolean holdWrites) {
        this.writesOpen = new CountDownLatch(holdWrites ? 1 : 0);
    }

    void emit(String text) {
        toRead.add(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** The lab ends its side (read EOF). */
    void hangUp() {
        toRead.add(EOF);
    }

    void openWrites() {
        writesOpen.countDown();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        try {
            byte[] next = toRead.take();
            if (next == EOF) {
                toRead.add(EOF);
                if (!open) {
                    throw new ClosedChannelException();
                }
                return -1;
            }
            dst.put(next);
            return next.length;
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException();
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        try {
            writesOpen.await();
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException();
        }
        if (failWrites || !open) {
            throw new IOException("the lab's console connection broke");
        }
        int n = src.remaining();
        src.position(src.limit());
        written.addAndGet(n);
        return n;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        toRead.add(EOF);
        closed.countDown();
    }
}
