package org.labcontroller.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The canary for a Quarkus (Vert.x, Netty) upgrade: each internal the stream fast path relies on,
 * through {@link VertxInternals}, still does what the streams assume. If this fails, read the
 * upgrade's Vert.x changes before anything else in the stream tests.
 */
class VertxInternalsTest {
    final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aFrameWrittenOnTheUpgradedConnectionsPipelineReachesTheBrowser() throws Exception {
        CompletableFuture<String> received = new CompletableFuture<>();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.toWebSocket().onSuccess(ws -> {
            var pipeline = VertxInternals.pipeline(request.connection());
            assertSame(pipeline, VertxInternals.pipeline(VertxInternals.connection(ws)));
            ws.handler(go -> pipeline.writeAndFlush(new BinaryWebSocketFrame(true, 0,
                    Unpooled.copiedBuffer("straight to netty", StandardCharsets.UTF_8))));
        }));
        int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        WebSocket client = vertx.createWebSocketClient()
                .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/"))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        client.binaryMessageHandler(b -> received.complete(b.toString(StandardCharsets.UTF_8)));
        client.writeTextMessage("go");
        assertEquals("straight to netty", received.get(10, TimeUnit.SECONDS));
    }

    @Test
    void onAnEventLoopTheLabSocketJoinsThatLoopsNioSelector() throws Exception {
        Context context = VertxInternals.newEventLoopContext(vertx);
        assertTrue(context.isEventLoopContext());
        CompletableFuture<EventLoop[]> loops = new CompletableFuture<>();
        context.runOnContext(v -> loops.complete(new EventLoop[] {VertxInternals.eventLoop(vertx), VertxInternals.eventLoop(vertx)}));
        EventLoop[] seen = loops.get(10, TimeUnit.SECONDS);
        assertSame(seen[0], seen[1], "on an event loop, the caller's own loop");
        assertNotNull(VertxInternals.nio(seen[0]));
        assertNotNull(VertxInternals.nio(VertxInternals.eventLoop(vertx)), "off a loop, one of Vert.x's loops");
    }

    @Test
    void eachHubGetsAContextOfItsOwnWhoseTimersRunOnIt() throws Exception {
        Context a = VertxInternals.newEventLoopContext(vertx);
        Context b = VertxInternals.newEventLoopContext(vertx);
        assertNotSame(a, b);
        CompletableFuture<Boolean> onA = new CompletableFuture<>();
        a.runOnContext(v -> vertx.setTimer(1, t -> onA.complete(Vertx.currentContext() == a)));
        assertTrue(onA.get(10, TimeUnit.SECONDS), "a timer set on a hub's context fires on it (OutputBatch, lingering)");
        CompletableFuture<Buffer> blocking = new CompletableFuture<>();
        a.executeBlocking(() -> Buffer.buffer("worker"), false).onSuccess(blocking::complete);
        assertEquals("worker", blocking.get(10, TimeUnit.SECONDS).toString());
    }
}
