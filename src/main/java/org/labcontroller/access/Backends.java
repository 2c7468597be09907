package org.labcontroller.access;

import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;

/** Wraps a runtime's channel in the cheapest {@link Backend} that can serve it. */
@ApplicationScoped
class Backends {
    @Inject
    Vertx vertx;
    @Inject
    StreamConfig config;

    Backend of(ByteChannel channel) {
        return of(vertx, channel, config.backendQueueBytes());
    }

    /**
     * A selectable channel runs on a Vert.x event loop's selector (the caller's loop when it is
     * one, so a screen stream stays on its websocket's thread); anything else, or Vert.x on a
     * native transport, gets two virtual threads.
     */
    static Backend of(Vertx vertx, ByteChannel channel, int queueBytes) {
        if (channel instanceof SocketChannel socket && !vertx.isNativeTransportEnabled()) {
            try {
                return new LoopBackend(socket, () -> VertxInternals.eventLoop(vertx), queueBytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new BlockingBackend(channel, queueBytes);
    }
}
