package org.labcontroller.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.labcontroller.account.AuthConfig;
import org.labcontroller.account.AuthFilter;
import org.labcontroller.account.Authenticator;
import org.labcontroller.account.Caller;
import org.labcontroller.lab.LabActivity;
import org.labcontroller.lab.UserSlots;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.ErrorCode;
import org.labcontroller.replica.RelayTicket;
import org.labcontroller.replica.ReplicaConfig;
import org.labcontroller.replica.Replicas;
import org.labcontroller.problem.Problem;

/**
 * The websocket endpoints {@code /api/v1/labs/{id}/console} and {@code /vnc}. Each upgrade is
 * checked, then dialled, then accepted: origin, credential, access and the lab's state are checked
 * and the lab's stream is opened before the websocket exists, so every refusal is a plain HTTP
 * problem the UI can show. Binary frames carry the raw bytes, so stock noVNC and xterm.js work.
 * {@code ?mode=watch|assist} joins someone else's lab as a watcher (read-only) or an assistant.
 */
@ApplicationScoped
class StreamRoutes {
    private static final Logger LOG = Logger.getLogger(StreamRoutes.class);

    @Inject
    Vertx vertx;
    @Inject
    StreamAccess access;
    @Inject
    Authenticator authenticator;
    @Inject
    AuthConfig authConfig;
    @Inject
    StreamConfig config;
    @Inject
    ObjectMapper json;
    @Inject
    Replicas replicas;
    @Inject
    ReplicaConfig replicaConfig;
    @Inject
    Relays relays;
    @Inject
    java.time.Clock clock;
    @Inject
    LabActivity activity;

    // NOTE: taken on a worker once the caller is known, before the dial; released exactly once,
    // by whichever comes first: a refusal, a failed upgrade, or the session's close.
    private UserSlots slots;

    void routes(@Observes Router router) {
        slots = new UserSlots(config.maxStreamsPerUser());
        router.get("/api/v1/labs/:id/console").order(-100).handler(ctx -> upgrade(ctx, StreamKind.CONSOLE));
        router.get("/api/v1/labs/:id/vnc").order(-100).handler(ctx -> upgrade(ctx, StreamKind.VNC));
    }

    private void upgrade(RoutingContext ctx, StreamKind kind) {
        HttpServerRequest request = ctx.request();
        String labId = ctx.pathParam("id");
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            fail(ctx, new ApiException(ErrorCode.BAD_REQUEST, "This endpoint takes a WebSocket upgrade"));
            return;
        }
        if (!originAllowed(request)) {
            fail(ctx, ApiException.forbidden("Streams may not be opened from the origin " + request.getHeader("Origin")));
            return;
        }
        StreamSession.Credential credential = credential(request);
        String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        // A stream another replica relays here is served here (never relayed again), for the viewer's address.
        java.util.Optional<String> relayedFor = replicaConfig.secret().flatMap(secret ->
                RelayTicket.verify(secret, request.getHeader(RelayTicket.HEADER), request.path(), clock.millis()));
        String address = relayedFor.orElse(peer);
        String uri = request.uri();
        String mode = request.getParam("mode");
        request.pause();
        vertx.executeBlocking(() -> {
            Caller caller = (credential == null ? java.util.Optional.<Caller>empty() : credential.resolve(authenticator))
                    .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHENTICATED, "Log in or send a bearer token"));
            UserSlots.Slot slot = slots.take(caller.id()).orElseThrow(() -> new ApiException(ErrorCode.TOO_MANY_REQUESTS,
                    "You have " + slots.cap() + " console and screen streams open already; close one first"));
            try {
                java.util.Optional<Replicas.Peer> owner = relayedFor.isPresent() ? java.util.Optional.empty()
                        : replicas.elsewhere(labId + "/" + kind.name());
                return new Held(owner.isPresent() ? relays.prepare(caller, credential, labId, kind, address, mode, owner.get(), uri)
                        : access.prepare(caller, credential, labId, kind, address, mode), slot);
            } catch (RuntimeException e) {
                slot.release();
                throw e;
            }
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                request.resume();
                fail(ctx, ar.cause());
                return;
            }
            StreamAccess.Prepared prepared = ar.result().prepared();
            UserSlots.Slot slot = ar.result().slot();
            request.toWebSocket().onSuccess(ws -> {
                try {
                    ws.setWriteQueueMaxSize(config.clientQueueBytes());
                } catch (IllegalStateException closed) {
                    prepared.abort(); // the browser left during the upgrade
                    slot.release();
                    return;
                }
                StreamSession session = new StreamSession(prepared.id(), prepared.caller(), credential, labId, kind, address, ws,
                        request.connection(), prepared.grant(), () -> activity.inputSeen(labId));
                session.whenClosed(s -> slot.release());
                prepared.attach(session);
            }).onFailure(e -> {
                LOG.debugf("Upgrade of %s stream of lab %s failed: %s", kind, labId, e.getMessage());
                prepared.abort();
                slot.release();
            });
        });
    }

    /** A prepared stream and the place it holds in its account's cap. */
    private record Held(StreamAccess.Prepared prepared, UserSlots.Slot slot) {
    }

    private StreamSession.Credential credential(HttpServerRequest request) {
        String bearer = Authenticator.bearer(request.getHeader("Authorization"));
        if (bearer != null) {
            return new StreamSession.Credential(true, bearer);
        }
        Cookie cookie = request.getCookie(authConfig.cookieName());
        return cookie == null ? null : new StreamSession.Credential(false, cookie.getValue());
    }

    /** No Origin (a non-browser client), the controller's own origin, or one configured. */
    private boolean originAllowed(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        return AuthFilter.sameOrigin(origin, request)
                || config.allowedOrigins().map(list -> list.contains(origin)).orElse(false);
    }

    private void fail(RoutingContext ctx, Throwable error) {
        ApiException e = error instanceof ApiException api ? api
                : new ApiException(ErrorCode.INTERNAL, "An unexpected error occurred; it has been logged.");
        if (!(error instanceof ApiException)) {
            LOG.errorf(error, "Stream upgrade failed");
        }
        Problem body = Problem.of(e.code(), e.getMessage(), ctx.request().path(), e.field());
        try {
            ctx.response().setStatusCode(e.code().status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(json.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            ctx.response().setStatusCode(500).end();
        }
    }
}
