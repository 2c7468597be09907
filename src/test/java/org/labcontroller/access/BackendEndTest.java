package org.labcontroller.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.nio.NioEventLoopGroup;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backends' flow-control and ending contracts, with hand-driven channels: a drain wakes every
 * paused writer, and every way a backend ends reaches its listener exactly once.
 */
class BackendEndTest {
    private static final long WAIT = 10;

    @TempDir
    Path dir;

    /** Records the listener calls. */
    static final class Ends implements Backend.Listener {
        final List<Throwable> causes = new CopyOnWriteArrayList<>();
        final CountDownLatch ended = new CountDownLatch(1);

        @Override
        public void onData(ByteBuf data) {
            data.release();
        }

        @Override
        public void onEnd(Throwable cause) {
            causes.add(cause == null ? new Throwable("clean") : cause);
            ended.countDown();
        }

        void awaitEnd() throws InterruptedException {
            assertTrue(ended.await(WAIT, TimeUnit.SECONDS), "the listener heard of the end");
        }
    }

    @Test
    void aDrainOfTheLoopQueueWakesEveryPausedWriter() throws IOException {
        LabWriteQueue queue = new LabWriteQueue(4);
        Buffer typed = Buffer.buffer("12345678");
        queue.accept(typed);
        queue.add(typed);
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        queue.onDrain(first::incrementAndGet);
        queue.onDrain(second::incrementAndGet);
        queue.flushTo(new WritableByteChannel() {
            public int write(ByteBuffer src) {
                int n = src.remaining();
                src.position(src.limit());
                return n;
            }

            public boolean isOpen() {
                return true;
            }

            public void close() {
            }
        });
        assertEquals(1, first.get(), "the first viewer's pump was resumed");
        assertEquals(1, second.get(), "the second viewer's pump was resumed");
    }

    @Test
    void aDrainOfTheBlockingBackendWakesEveryPausedWriter() throws InterruptedException {
        FakeLabChannel lab = new FakeLabChannel(true);
        BlockingBackend backend = new BlockingBackend(lab, 4);
        backend.start(new Ends());
        backend.write(Buffer.buffer("12345678"));
        assertTrue(backend.writeQueueFull());
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        backend.onDrain(first::countDown);
        backend.onDrain(second::countDown);
        lab.openWrites();
        assertTrue(first.await(WAIT, TimeUnit.SECONDS), "the first viewer's pump was resumed");
        assertTrue(second.await(WAIT, TimeUnit.SECONDS), "the second viewer's pump was resumed");
        backend.close();
    }

    @Test
    void aFailedWriteToABlockingBackendEndsItAndTellsTheListenerOnce() throws InterruptedException {
        FakeLabChannel lab = new FakeLabChannel(false);
        lab.failWrites = true;
        BlockingBackend backend = new BlockingBackend(lab, 1024);
        Ends ends = new Ends();
        backend.start(ends);
        backend.write(Buffer.buffer("ls\r"));
        ends.awaitEnd();
        assertTrue(lab.closed.await(WAIT, TimeUnit.SECONDS), "the channel was closed");
        backend.close();
        assertEquals(1, ends.causes.size());
        assertTrue(ends.causes.get(0) instanceof IOException, String.valueOf(ends.causes.get(0)));
    }

    @Test
    void closingABlockingBackendTellsTheListenerOnce() throws InterruptedException {
        FakeLabChannel lab = new FakeLabChannel(false);
        BlockingBackend backend = new BlockingBackend(lab, 1024);
        Ends ends = new Ends();
        backend.start(ends);
        backend.close();
        ends.awaitEnd();
        backend.close();
        assertEquals(1, ends.causes.size());
        assertEquals("clean", ends.causes.get(0).getMessage());
    }

    @Test
    void aBlockingBackendThatReachesEofTellsTheListenerOnce() throws InterruptedException {
        FakeLabChannel lab = new FakeLabChannel(false);
        BlockingBackend backend = new BlockingBackend(lab, 1024);
        Ends ends = new Ends();
        backend.start(ends);
        lab.hangUp();
        ends.awaitEnd();
        backend.close();
        assertEquals(1, ends.causes.size());
    }

    @Test
    void closingALoopBackendTellsTheListenerOnce() throws Exception {
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(dir.resolve("lab.sock")));
            SocketChannel channel = SocketChannel.open(server.getLocalAddress());
            SocketChannel labSide = server.accept();
            LoopBackend backend = new LoopBackend(channel, group::next, 1024);
            Ends ends = new Ends();
            backend.start(ends);
            backend.close();
            ends.awaitEnd();
            backend.close();
            assertEquals(1, group.submit(() -> ends.causes.size()).get());
            assertEquals(-1, labSide.read(ByteBuffer.allocate(8)), "the lab saw the end");
            labSide.close();
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aLoopBackendClosedBeforeItStartsTellsTheListenerWhenItStarts() throws Exception {
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(dir.resolve("lab.sock")));
            SocketChannel channel = SocketChannel.open(server.getLocalAddress());
            server.accept().close();
            LoopBackend backend = new LoopBackend(channel, group::next, 1024);
            backend.close();
            assertTrue(!channel.isOpen(), "a backend closed before it started releases its channel");
            Ends ends = new Ends();
            backend.start(ends);
            ends.awaitEnd();
            assertNull(group.submit(() -> ends.causes.size() == 1 ? null : "called " + ends.causes.size()).get());
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }
}
