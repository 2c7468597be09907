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
    private final ServerSocketChannel server;
    private volatile SocketChannel peer;

    ByteSource(Path dir, boolean flood) throws IOException {
        path = Files.createTempDirectory(dir, "src").resolve("s.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Thread.ofVirtual().start(() -> {
            try {
                peer = server.accept();
                Thread.ofVirtual().start(this::reader);
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

    private void reader() {
        ByteBuffer b = ByteBuffer.allocate(8192);
        try {
            while (true) {
                b.clear();
                int n = peer.read(b);
                if (n < 0) {
                    sawEof.set(true);
                    return;
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
