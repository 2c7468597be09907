package org.labcontroller.access;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Role;
import org.labcontroller.runtime.StreamKind;

/**
 * The controller's stream bridge (the same {@link Bridge} and {@link LoopBackend} the controller
 * runs, on the same Vert.x) as a standalone proxy from
 * websocket to TCP, so bench/streams/run.sh can measure it beside websockify on the same source.
 * Usage: BridgeBench LISTEN_PORT /path=BACKEND_PORT... (the upgrade's path picks the backend).
 */
public final class BridgeBench {
    private BridgeBench() {
    }

    public static void main(String[] args) throws Exception {
        int listen = Integer.parseInt(args[0]);
        java.util.Map<String, Integer> backends = new java.util.HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=");
            backends.put(kv[0], Integer.parseInt(kv[1]));
        }
        Vertx vertx = Vertx.vertx();
        StreamMetrics metrics = new StreamMetrics(new SimpleMeterRegistry());
        Caller caller = new Caller("bench", "bench", Role.STUDENT);
        int queue = 256 * 1024;
        vertx.createHttpServer(new HttpServerOptions())
                .webSocketHandler(ws -> {
                    ws.setWriteQueueMaxSize(queue);
                    try {
                        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", backends.get(ws.path())));
                        StreamSession session = new StreamSession("b", caller, null, "bench", StreamKind.VNC, "bench", ws,
                        VertxInternals.connection(ws));
                        ws.closeHandler(v -> session.browserClosed());
                        Bridge.connect(session, Backends.of(vertx, channel, queue), metrics);
                    } catch (IOException e) {
                        ws.close();
                    }
                }).listen(listen, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        System.out.println("bridge ready on " + listen);
        Thread.currentThread().join();
    }
}
