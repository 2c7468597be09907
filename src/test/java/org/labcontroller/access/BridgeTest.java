package org.labcontroller.access;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Role;
import org.labcontroller.runtime.StreamKind;

/** The bridge between a websocket and a lab socket, over real sockets and a real Vert.x server. */
class BridgeTest {
    private static final int QUEUE = 256 * 1024;

    @TempDir
    Path dir;
    Vertx vertx;
    HttpServer server;
    ByteSource source;

    void serve(boolean flood) throws Exception {
        serve(new ByteSource(dir, flood));
    }

    void serve(ByteSource lab) throws Exception {
        source = lab;
        StreamMetrics metrics = new StreamMetrics(new SimpleMeterRegistry());
        server = vertx.createHttpServer().webSocketHandler(ws -> {
            ws.setWriteQueueMaxSize(QUEUE);
            try {
                StreamSession session = new StreamSession("s", new Caller("u", "u", Role.STUDENT), null, "lab", StreamKind.VNC,
                        "test", ws,
                        VertxInternals.connection(ws));
                ws.closeHandler(v -> session.browserClosed());
                Bridge.connect(session, Backends.of(vertx, source.connect(), QUEUE), metrics);
            } catch (IOException e) {
                ws.close();
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.actualPort() + "/");
    }

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
        source.close();
    }

    @Test
    void aClientThatStopsReadingStopsTheSourceInsteadOfGrowingMemory() throws Exception {
        serve(true);
        WsClient stalled = WsClient.connect(uri(), Map.of(), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> stalled.received() > 0);
        // The source fills the queues and socket buffers, then cannot write any more.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(new java.util.concurrent.Callable<>() {
            long last = -1;

            public Boolean call() {
                long now = source.written.get();
                boolean stalledNow = now == last;
                last = now;
                return stalledNow;
            }
        });
        long stuckAt = source.written.get();
        assertTrue(stuckAt < 64L * 1024 * 1024, "the source was held back after " + stuckAt + " bytes");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> source.written.get() == stuckAt);
        stalled.close();
    }

    @Test
    void aLabThatStopsReadingPausesTheBrowserAndThenGetsEverything() throws Exception {
        serve(false);
        source.holdReads = true;
        WsClient typist = WsClient.connect(uri(), Map.of(), true);
        byte[] chunk = new byte[64 * 1024];
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        long sent = 0;
        java.util.concurrent.CompletableFuture<?> last = null;
        // Sends until one send does not complete: the bridge stopped reading the browser.
        while (sent < 256L * 1024 * 1024) {
            java.util.Arrays.fill(chunk, (byte) (sent >> 16));
            last = typist.sendAsync(chunk);
            crc.update(chunk);
            sent += chunk.length;
            try {
                last.get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException stalled) {
                break;
            }
        }
        assertTrue(sent < 64L * 1024 * 1024, "the browser was held back after " + sent + " bytes");
        source.holdReads = false;
        last.get(20, java.util.concurrent.TimeUnit.SECONDS);
        long total = sent;
        await().atMost(Duration.ofSeconds(20)).until(() -> source.read.get() == total);
        assertEquals(crc.getValue(), source.readCrc());
        typist.close();
    }

    @Test
    void aReadingClientGetsEverythingAtFullSpeed() throws Exception {
        serve(true);
        WsClient reader = WsClient.connect(uri(), Map.of(), true);
        await().atMost(Duration.ofSeconds(20)).until(() -> reader.received() > 200L * 1024 * 1024);
        reader.close();
    }

    @Test
    void everyByteArrivesInOrderBothWaysWhateverTheChunkSizes() throws Exception {
        java.util.Random random = new java.util.Random(42);
        byte[] down = new byte[24 * 1024 * 1024];
        random.nextBytes(down);
        serve(new ByteSource(dir, down));
        WsClient client = WsClient.connect(uri(), Map.of(), true);
        java.util.zip.CRC32 up = new java.util.zip.CRC32();
        long sent = 0;
        for (int i = 0; i < 200; i++) {
            byte[] chunk = new byte[random.nextInt(4) == 0 ? 1 : 1 + random.nextInt(40_000)];
            random.nextBytes(chunk);
            up.update(chunk);
            sent += chunk.length;
            client.send(chunk);
        }
        long total = sent;
        await().atMost(Duration.ofSeconds(30)).until(() -> client.received() == down.length && source.read.get() == total);
        java.util.zip.CRC32 expected = new java.util.zip.CRC32();
        expected.update(down);
        assertEquals(expected.getValue(), client.crc(), "lab to browser");
        assertEquals(up.getValue(), source.readCrc(), "browser to lab");
        client.close();
    }

    @Test
    void whenTheLabEndsTheBrowserIsClosedWithTheReason() throws Exception {
        serve(false);
        WsClient client = WsClient.connect(uri(), Map.of(), true);
        client.send("typed");
        await().atMost(Duration.ofSeconds(5)).until(() -> source.read.get() == 5);
        source.hangUp();
        assertEquals(4100, client.closeCode());
    }

    @Test
    void whenTheBrowserLeavesTheLabConnectionIsClosed() throws Exception {
        serve(false);
        WsClient client = WsClient.connect(uri(), Map.of(), true);
        client.send("x");
        await().atMost(Duration.ofSeconds(5)).until(() -> source.read.get() == 1);
        client.close();
        await().atMost(Duration.ofSeconds(5)).until(source.sawEof::get);
    }
}
