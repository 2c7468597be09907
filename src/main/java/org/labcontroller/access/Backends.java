package org.labcontroller.access;

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
    SelectorLoop loop;
    @Inject
    StreamConfig config;

    Backend of(ByteChannel channel) {
        if (channel instanceof SocketChannel socket) {
            try {
                return new NioBackend(socket, loop, config.backendQueueBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new BlockingBackend(channel, config.backendQueueBytes());
    }
}
