package org.labcontroller.access;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lab stand-in on a unix socket for bridge tests: writes as fast as the socket takes bytes
 * (when flooding) and counts what it wrote and what it read.
 */
final class ByteSource implements AutoCloseable {
    final Path path;
    final AtomicLong written = new AtomicLong();
    final AtomicLong read = new AtomicLong();
    final AtomicBoolean sawEof = new AtomicBoolean();
    private final java.util.zip.CRC32 readCrc = new java.util.zip.CRC32();
    /** While set, the lab reads nothing (a lab that stopped taking input). */
    volatile boolean holdReads;
    private final ServerSocketChannel server;
    private volatile SocketChannel peer;

    ByteSource(Path dir, boolean flood) throws IOException {
        this(dir, flood, null);
    }

    /** Writes {@code script} once, in writes of random sizes with pauses between some, then stays open. */
    ByteSource(Path dir, byte[] script) throws IOException {
        this(dir, false, script);
    }

    private ByteSource(Path dir, boolean flood, byte[] script) throws IOException {
        path = Files.createTempDirectory(dir, "src").resolve("s.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Thread.ofVirtual().start(() -> {
            try {
                peer = server.accept();
                Thread.ofVirtual().start(this::reader);
                if (script != null) {
                    writeScript(script);
                }
                ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
                while (flood) {
                    chunk.clear();
                    written.addAndGet(peer.write(chunk));
                }
            } catch (IOException e) {
                // the bridge closed the connection
            }
        });
    }

    private void writeScript(byte[] script) throws IOException {
        java.util.Random random = new java.util.Random(7);
        int at = 0;
        while (at < script.length) {
            int n = Math.min(script.length - at, random.nextInt(4) == 0 ? 1 + random.nextInt(16) : 1 + random.nextInt(300_000));
            ByteBuffer b = ByteBuffer.wrap(script, at, n);
            while (b.hasRemaining()) {
                written.addAndGet(peer.write(b));
            }
            at += n;
            if (random.nextInt(8) == 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            }
        }
    }

    /** CRC-32 of everything read from the bridge so far. */
    long readCrc() {
        synchronized (readCrc) {
            return readCrc.getValue();
        }
    }

    private void reader() {
        ByteBuffer b = ByteBuffer.allocate(8192);
        try {
            while (true) {
                while (holdReads) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
                b.clear();
                int n = peer.read(b);
                if (n < 0) {
                    sawEof.set(true);
                    return;
                }
                synchronized (readCrc) {
                    readCrc.update(b.array(), 0, n);
                }
                read.addAndGet(n);
            }
        } catch (IOException e) {
            sawEof.set(true);
        }
    }

    SocketChannel connect() throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(path));
    }

    /** The lab side ends the stream. */
    void hangUp() throws IOException {
        peer.close();
    }

    @Override
    public void close() throws IOException {
        if (peer != null) {
            peer.close();
        }
        server.close();
        Files.deleteIfExists(path);
    }
}
