package org.labcontroller.access;

import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.labcontroller.account.AuthConfig;
import org.labcontroller.account.Caller;
import org.labcontroller.lab.LabStreams;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.ErrorCode;
import org.labcontroller.replica.RelayTicket;
import org.labcontroller.replica.ReplicaConfig;
import org.labcontroller.replica.Replicas;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.storage.Ids;

/**
 * Carries a viewer's stream to the replica that serves the lab ({@link Replicas}): the access check
 * runs here first (a refusal never leaves this replica), then the same request, with the viewer's
 * credential and a {@link RelayTicket}, opens the stream on the owner, which authorizes it again and
 * serves it from its one connection to the lab.
 */
@ApplicationScoped
class Relays {
    @Inject
    Vertx vertx;
    @Inject
    LabStreams streams;
    @Inject
    ReplicaConfig config;
    @Inject
    AuthConfig auth;
    @Inject
    StreamSessions sessions;
    @Inject
    StreamMetrics metrics;
    @Inject
    Clock clock;
    private volatile WebSocketClient client;

    /** A stream checked here and opened on {@code owner}; blocking (a worker), bounded by the dial timeout. */
    StreamAccess.Prepared prepare(Caller caller, StreamSession.Credential credential, String labId, StreamKind kind,
            String address, String requestedMode, Replicas.Peer owner, String pathAndQuery) {
        // The owner records and announces a watcher's join; here only the check (and the input filter, by the grant).
        LabStreams.Grant grant = streams.check(caller, labId, kind, requestedMode);
        String id = Ids.newId();
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        int colon = owner.address().lastIndexOf(':');
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(owner.address().substring(0, colon))
                .setPort(Integer.parseInt(owner.address().substring(colon + 1))).setURI(pathAndQuery)
                .setTimeout(config.dialTimeout().toMillis())
                .addHeader(RelayTicket.HEADER, RelayTicket.issue(config.secret().orElseThrow(), path, address, clock.millis()));
        if (credential != null) {
            options.addHeader(credential.bearer() ? "Authorization" : "Cookie",
                    credential.bearer() ? "Bearer " + credential.value() : auth.cookieName() + "=" + credential.value());
        }
        WebSocket ws = dial(options);
        return new BridgedStream(caller, id, grant, new RelayBackend(ws), sessions, metrics, () -> { });
    }

    private WebSocket dial(WebSocketConnectOptions options) {
        // NOTE: paused on its event loop as the upgrade completes, before a frame can arrive: what the
        // owner sends first (RFB's greeting, the console's scrollback) waits for the bridge's handler.
        var dialled = client().connect(options).onSuccess(WebSocket::pause).toCompletionStage().toCompletableFuture();
        try {
            return dialled.get(config.dialTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpgradeRejectedException rejected) {
                ErrorCode code = rejected.getStatus() >= 500 ? ErrorCode.UNAVAILABLE : ErrorCode.forStatus(rejected.getStatus());
                throw new ApiException(code, "The replica serving this lab refused the stream (" + rejected.getStatus() + ")");
            }
            throw new ApiException(ErrorCode.UNAVAILABLE, "The replica serving this lab cannot be reached: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            dialled.thenAccept(WebSocket::close); // a late success must not hold the owner's stream
            throw new ApiException(ErrorCode.UNAVAILABLE, "The replica serving this lab did not answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.UNAVAILABLE, "Interrupted while reaching the replica serving this lab");
        }
    }

    private WebSocketClient client() {
        WebSocketClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20)
                            .setMaxMessageSize(4 << 20).setConnectTimeout((int) config.dialTimeout().toMillis()));
                }
                c = client;
            }
        }
        return c;
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }
}
