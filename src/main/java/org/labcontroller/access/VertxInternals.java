package org.labcontroller.access;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.impl.WebSocketInternal;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The one place the stream code reaches into Vert.x's and Netty's internals, which a Quarkus
 * upgrade may change without notice. The fast path needs three things Vert.x's public API does not
 * give: a websocket's Netty pipeline (frames written without Vert.x's two copies), a Netty NIO event
 * loop whose selector reads the lab's socket, and a fresh event-loop context that owns a console
 * hub. {@code VertxInternalsTest} fails, naming what changed, if any of them stops working.
 */
final class VertxInternals {
    private VertxInternals() {
    }

    /** The Netty pipeline end of the connection a websocket was upgraded from. */
    static ChannelHandlerContext pipeline(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            return base.channelHandlerContext();
        }
        throw new IllegalStateException("Vert.x's HTTP connection is no longer a ConnectionBase: "
                + connection.getClass().getName());
    }

    /** The connection under a websocket Vert.x handed out directly (not through the router). */
    static HttpConnection connection(ServerWebSocket ws) {
        return ((WebSocketInternal) ws).connection();
    }

    /** The caller's own event loop when it runs on one, else the next of Vert.x's. */
    static EventLoop eventLoop(Vertx vertx) {
        Context current = Vertx.currentContext();
        if (current instanceof ContextInternal ctx && ctx.isEventLoopContext() && ctx.nettyEventLoop().inEventLoop()) {
            return ctx.nettyEventLoop();
        }
        return ((VertxInternal) vertx).getEventLoopGroup().next();
    }

    /** The loop as Netty's NIO loop, whose selector a lab socket can join. */
    static NioEventLoop nio(EventLoop loop) {
        if (loop instanceof NioEventLoop nio) {
            return nio;
        }
        throw new IllegalStateException("Vert.x's event loop is no longer Netty's NioEventLoop: " + loop.getClass().getName());
    }

    /** A new event-loop context of its own (not the caller's), for a console hub to own. */
    static Context newEventLoopContext(Vertx vertx) {
        return ((VertxInternal) vertx).createEventLoopContext();
    }
}
