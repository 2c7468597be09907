package org.labcontroller.access;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labcontroller.account.Caller;
import org.labcontroller.audit.AuditService;
import org.labcontroller.problem.ErrorCode;
import org.labcontroller.runtime.StreamKind;

/**
 * A session's close callbacks and its registration: each callback runs exactly once whenever it is
 * added, and a session that closes early is never left registered, counted or unaudited.
 */
class SessionLifecycleTest {
    Vertx vertx;
    SessionServer server;
    SimpleMeterRegistry registry;
    StreamSessions sessions;
    final List<String> audited = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        server = new SessionServer(vertx, StreamKind.CONSOLE);
        registry = new SimpleMeterRegistry();
        sessions = new StreamSessions();
        sessions.vertx = vertx;
        sessions.config = new TestStreamConfig();
        sessions.metrics = new StreamMetrics(registry);
        sessions.audit = new AuditService() {
            @Override
            public void stream(Caller caller, String labId, String stream, String address, Instant startedAt, long bytesIn,
                    long bytesOut, String detail) {
                audited.add(detail);
            }
        };
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    double openGauge() {
        return registry.get("lab_stream_sessions").tag("stream", "console").gauge().value();
    }

    @Test
    void aCallbackAddedAfterTheCloseRunsAtOnceAndOnlyOnce() throws Exception {
        WsClient client = WsClient.connect(server.uri(), Map.of(), true);
        StreamSession session = server.next();
        AtomicInteger before = new AtomicInteger();
        AtomicInteger after = new AtomicInteger();
        session.whenClosed(s -> before.incrementAndGet());
        session.close(ErrorCode.LAB_STOPPED, "The lab was stopped");
        session.whenClosed(s -> after.incrementAndGet());
        session.close(ErrorCode.STREAM_ENDED, "again");
        assertEquals(1, before.get());
        assertEquals(1, after.get(), "a callback added after the close ran once, at once");
        assertEquals(4100, client.closeCode());
    }

    @Test
    void aSessionClosedBeforeItIsAddedIsNotLeftRegisteredCountedOrUnaudited() throws Exception {
        WsClient.connect(server.uri(), Map.of(), true);
        StreamSession session = server.next();
        session.close(ErrorCode.LAB_STOPPED, "The lab was stopped");
        sessions.add(session);
        assertEquals(0, sessions.openCount());
        assertEquals(0.0, openGauge());
        await().atMost(Duration.ofSeconds(10)).until(() -> audited.size() == 1);
        assertTrue(audited.get(0).startsWith("lab_stopped"), audited.get(0));
    }

    @Test
    void aBrowserGoneBeforeTheSessionIsAddedEndsIt() throws Exception {
        WsClient client = WsClient.connect(server.uri(), Map.of(), true);
        StreamSession session = server.next();
        client.close();
        await().atMost(Duration.ofSeconds(10)).until(session.ws::isClosed);
        sessions.add(session);
        assertTrue(session.isClosed(), "the session ended with its browser");
        assertEquals(0, sessions.openCount());
        assertEquals(0.0, openGauge());
        await().atMost(Duration.ofSeconds(10)).until(() -> audited.size() == 1);
    }

    @Test
    void aSessionClosedAfterItIsAddedIsCountedDownAndAuditedOnce() throws Exception {
        WsClient client = WsClient.connect(server.uri(), Map.of(), true);
        StreamSession session = server.next();
        sessions.add(session);
        assertEquals(1, sessions.openCount());
        assertEquals(1.0, openGauge());
        session.close(ErrorCode.LAB_DELETED, "The lab was deleted");
        assertEquals(4101, client.closeCode());
        assertEquals(0, sessions.openCount());
        assertEquals(0.0, openGauge());
        await().atMost(Duration.ofSeconds(10)).until(() -> audited.size() == 1);
    }
}
