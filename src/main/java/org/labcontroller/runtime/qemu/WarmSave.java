package org.labcontroller.runtime.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * Saves a paused machine's device state to a file with QMP {@code migrate}; its RAM is a file of its
 * own already ({@link WarmRam}) and stays out of the stream. QEMU 7.2
 * has no {@code file:} migration target, and {@code exec:} would need a process QEMU's sandbox
 * does not let it spawn, so the controller listens on a unix socket, QEMU connects to it as the
 * migration's destination, and the controller writes what arrives to the file.
 *
 * <p>QEMU runs as the unprivileged QEMU user by then, so the socket lives in a temporary directory of
 * that user's own ({@link #socketDir}); another process of that user (another lab's QEMU, if a guest ever
 * escaped into it) could reach it too. NOTE: hence one connection is accepted, the listener is closed
 * and its file removed at once, and the state counts only when this QEMU reports its own migration
 * {@code completed}: had another process connected first, this QEMU's stream would have gone to a
 * closed socket and its migration would have failed.
 */
final class WarmSave {
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(5);

    private WarmSave() {
    }

    /**
     * A fresh directory for the save socket that QEMU's user can reach: a private temporary
     * directory (the state and data directories may be closed to that user) owned by {@code user}
     * when the controller is root. The caller removes it.
     */
    static Path socketDir(String user) throws IOException {
        Path dir = Files.createTempDirectory("lab-warm-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (user != null) {
            Files.setOwner(dir, FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user));
        }
        return dir;
    }

    /** Pauses the machine and writes its state to {@code target}; returns the state's SHA-256 (hex). */
    static String save(QmpSessions qmp, VmDirectory vm, Path socketDir, Path target, Duration timeout) throws IOException {
        Path socket = socketDir.resolve("m.sock");
        Files.deleteIfExists(socket);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket), 1);
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxrwxrwx")); // its directory guards it
            return qmp.call(vm, QMP_TIMEOUT, session -> {
                session.execute("stop");
                WarmRam.ignoreShared(session); // its RAM is in its own file already (WarmRam)
                session.execute("migrate", Map.of("uri", "unix:" + socket));
                String sum;
                try (SocketChannel stream = accept(server, deadline)) {
                    server.close();
                    Files.deleteIfExists(socket);
                    sum = receive(stream, target, deadline);
                }
                awaitCompleted(session, deadline);
                return sum;
            });
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    private static SocketChannel accept(ServerSocketChannel server, long deadline) throws IOException {
        server.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            server.register(selector, SelectionKey.OP_ACCEPT);
            while (true) {
                SocketChannel channel = server.accept();
                if (channel != null) {
                    return channel;
                }
                selector.select(left(deadline, "QEMU did not connect to save its state"));
                selector.selectedKeys().clear();
            }
        }
    }

    private static String receive(SocketChannel stream, Path target, long deadline) throws IOException {
        MessageDigest sha = WarmKey.sha256();
        stream.configureBlocking(false);
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        try (Selector selector = Selector.open(); OutputStream out = Files.newOutputStream(target)) {
            stream.register(selector, SelectionKey.OP_READ);
            while (true) {
                int n = stream.read(buf);
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    selector.select(left(deadline, "QEMU did not finish saving its state"));
                    selector.selectedKeys().clear();
                    continue;
                }
                buf.flip();
                sha.update(buf.array(), 0, buf.limit());
                out.write(buf.array(), 0, buf.limit());
                buf.clear();
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void awaitCompleted(QmpClient session, long deadline) throws IOException {
        while (true) {
            JsonNode m = session.execute("query-migrate");
            String status = m.path("status").asText("");
            switch (status) {
                case "completed" -> {
                    return;
                }
                case "failed", "cancelled" -> throw new IOException("QEMU's migration " + status + ": "
                        + m.path("error-desc").asText("no reason given"));
                default -> left(deadline, "QEMU's migration did not complete (" + status + ")");
            }
            try {
                Thread.sleep(20); // the stream has ended; QEMU only has to note its completion
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while saving a machine state", e);
            }
        }
    }

    private static long left(long deadline, String what) throws IOException {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new IOException(what + " in time");
        }
        return ms;
    }
}
