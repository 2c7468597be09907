package org.labcontroller.access;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labcontroller.account.Caller;
import org.labcontroller.audit.AuditService;
import org.labcontroller.problem.ErrorCode;
import org.labcontroller.runtime.StreamKind;

/**
 * Pings are answered or the peer is gone: a client that stops answering pings (a raw socket that
 * never reads) is closed once the pong timeout passed, while one that answers stays open. The
 * test drives the ping rounds and their clock itself.
 */
class PongTest {
    Vertx vertx;
    SessionServer server;
    StreamSessions sessions;
    final long timeout = Duration.ofSeconds(60).toNanos();

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        server = new SessionServer(vertx, StreamKind.VNC);
        sessions = new StreamSessions();
        sessions.vertx = vertx;
        sessions.config = new TestStreamConfig();
        sessions.metrics = new StreamMetrics(new SimpleMeterRegistry());
        sessions.audit = new AuditService() {
            @Override
            public void stream(Caller caller, String labId, String stream, String address, Instant startedAt, long bytesIn,
                    long bytesOut, String detail) {
            }
        };
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void aPeerThatStopsAnsweringPingsIsClosedAfterThePongTimeoutAndOneThatAnswersStaysOpen() throws Exception {
        try (Socket silent = rawWebSocket()) {
            StreamSession silentSession = server.next();
            sessions.add(silentSession);
            WsClient answering = WsClient.connect(server.uri(), Map.of(), true);
            StreamSession answeringSession = server.next();
            sessions.add(answeringSession);
            long heardBefore = answeringSession.lastPong;

            sessions.pingAll(System.nanoTime());
            await().atMost(Duration.ofSeconds(10)).until(() -> answeringSession.lastPong != heardBefore);
            sessions.pingAll(silentSession.lastPong + timeout + 1);

            assertEquals(ErrorCode.SLOW_CLIENT.closeCode(), closeCode(silent));
            assertTrue(silentSession.isClosed());
            assertFalse(answeringSession.isClosed(), "the peer that answered is still connected");
            answering.close();
        }
    }

    /** Upgrades a plain socket to a websocket and then never reads, so it never answers a ping. */
    Socket rawWebSocket() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        String upgrade = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        socket.getOutputStream().write(upgrade.getBytes(StandardCharsets.US_ASCII));
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) socket.getInputStream().read());
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
        return socket;
    }

    /** Reads the server's frames (skipping its pings) up to its close frame; returns the close code. */
    static int closeCode(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        while (true) {
            int opcode = in.readUnsignedByte() & 0x0F;
            int length = in.readUnsignedByte() & 0x7F;
            byte[] payload = in.readNBytes(length);
            if (opcode == 0x8) {
                return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            }
        }
    }
}
