package org.labcontroller.access;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.labcontroller.account.Caller;
import org.labcontroller.lab.LabStreams;
import org.labcontroller.lab.StreamMode;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.problem.ErrorCode;

/**
 * One browser's open stream to a lab: who opened it, with which credential (re-checked while it
 * is open), from where, and how many bytes went each way. Closing it is idempotent and says why.
 */
final class StreamSession {
    /** How the session authenticated, kept so it can be re-checked (a revoked token ends the stream). */
    record Credential(boolean bearer, String value) {
        /** The caller this credential stands for now, or empty once it is unknown, expired or revoked. */
        java.util.Optional<Caller> resolve(org.labcontroller.account.Authenticator authenticator) {
            return bearer ? authenticator.fromBearer(value) : authenticator.fromSession(value);
        }
    }

    final String id;
    final Caller caller;
    final Credential credential;
    final String labId;
    final StreamKind kind;
    final String address;
    /** How the session joined the lab (the owner's own, watch, assist) and whether the owner was told. */
    final LabStreams.Grant grant;
    /** Called for every chunk of input that reaches the lab (the lab's inactivity). */
    final Runnable inputSeen;
    final Instant startedAt = Instant.now();
    final ServerWebSocket ws;
    /** The websocket's Netty pipeline end (Vert.x's handler), where the screen bridge writes frames. */
    final ChannelHandlerContext pipeline;
    final AtomicLong toBrowser = new AtomicLong();
    final AtomicLong fromBrowser = new AtomicLong();
    // NOTE: whichever side ends first wins `closed` and does the closing; the other side's
    // close callbacks then find it set and do nothing. Callbacks wait in `onClosed` (guarded by
    // `this`) until the closing thread takes the list; one added after that runs at once on the
    // adding thread, so each runs exactly once however the add and the close interleave.
    private final AtomicBoolean closed = new AtomicBoolean();
    private List<Consumer<StreamSession>> onClosed = new ArrayList<>();
    private volatile ErrorCode endCode = ErrorCode.STREAM_ENDED;
    private volatile String endReason = "closed by the browser";
    /** When the peer last answered a ping ({@link System#nanoTime()}); it starts as the session's start. */
    volatile long lastPong = System.nanoTime();

    /** The owner's own session (tests and benchmarks). */
    StreamSession(String id, Caller caller, Credential credential, String labId, StreamKind kind, String address,
            ServerWebSocket ws, HttpConnection connection) {
        this(id, caller, credential, labId, kind, address, ws, connection, new LabStreams.Grant(StreamMode.OWN, false, "owner"),
                () -> { });
    }

    StreamSession(String id, Caller caller, Credential credential, String labId, StreamKind kind, String address,
            ServerWebSocket ws, HttpConnection connection, LabStreams.Grant grant, Runnable inputSeen) {
        this.id = id;
        this.grant = grant;
        this.inputSeen = inputSeen;
        this.caller = caller;
        this.credential = credential;
        this.labId = labId;
        this.kind = kind;
        this.address = address;
        this.ws = ws;
        // NOTE: the router hands out a wrapper of the websocket that hides Vert.x's internals; the
        // connection it was upgraded from is the one its frames are written on.
        this.pipeline = VertxInternals.pipeline(connection);
    }

    /**
     * Adds a callback run once when the session closes, after the ones already registered; if the
     * session has closed already, it runs now.
     */
    void whenClosed(Consumer<StreamSession> callback) {
        synchronized (this) {
            if (onClosed != null) {
                onClosed.add(callback);
                return;
            }
        }
        callback.accept(this);
    }

    /** Ends the session with a close code and a reason the UI shows; later calls do nothing. */
    void close(ErrorCode code, String reason) {
        if (closed.compareAndSet(false, true)) {
            endCode = code;
            endReason = reason;
            String shortReason = reason.length() > 100 ? reason.substring(0, 100) : reason;
            if (!ws.isClosed()) {
                ws.close((short) code.closeCode(), shortReason);
            }
            List<Consumer<StreamSession>> callbacks;
            synchronized (this) {
                callbacks = onClosed;
                onClosed = null;
            }
            callbacks.forEach(c -> c.accept(this));
        }
    }

    /** The browser closed or the connection dropped. */
    void browserClosed() {
        close(ErrorCode.STREAM_ENDED, "closed by the browser");
    }

    /** Whether what the browser sends may reach the lab (not a watcher's). */
    boolean sendsInput() {
        return grant.mode().sendsInput();
    }

    boolean isClosed() {
        return closed.get();
    }

    ErrorCode endCode() {
        return endCode;
    }

    String endReason() {
        return endReason;
    }
}
