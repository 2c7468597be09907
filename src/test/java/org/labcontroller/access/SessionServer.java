package org.labcontroller.access;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Role;
import org.labcontroller.runtime.StreamKind;

/**
 * A Vert.x websocket server for plain tests that turns each accepted websocket into a
 * {@link StreamSession} and hands it to the test, which decides what happens to it next.
 */
final class SessionServer implements AutoCloseable {
    private final HttpServer server;
    private final LinkedBlockingQueue<StreamSession> accepted = new LinkedBlockingQueue<>();

    SessionServer(Vertx vertx, StreamKind kind) throws Exception {
        server = vertx.createHttpServer().webSocketHandler(ws -> accepted.add(new StreamSession("s" + accepted.size(),
                new Caller("u", "u", Role.STUDENT), null, "lab", kind, "test", ws,
                VertxInternals.connection(ws))))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.actualPort() + "/");
    }

    int port() {
        return server.actualPort();
    }

    /** The next session the server accepted. */
    StreamSession next() throws InterruptedException {
        StreamSession s = accepted.poll(10, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("no websocket was accepted");
        }
        return s;
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get();
    }
}
