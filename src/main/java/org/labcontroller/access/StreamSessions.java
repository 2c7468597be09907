package org.labcontroller.access;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.labcontroller.account.Authenticator;
import org.labcontroller.account.Caller;
import org.labcontroller.audit.AuditService;
import org.labcontroller.lab.Desired;
import org.labcontroller.lab.LabService;
import org.labcontroller.lab.LabStreams;
import org.labcontroller.lab.LabViewers;
import org.labcontroller.lab.StreamMode;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.ErrorCode;

/**
 * Every open stream of this replica: keeps them alive with pings, re-checks their credential and
 * lab so a revoked token, a stopped or deleted lab ends them with the right close code, ends them
 * all when the controller stops, and writes each one's audit record when it ends (a watcher's or
 * assistant's leave too, and renews their presence at every re-check).
 */
@ApplicationScoped
class StreamSessions {
    private static final Logger LOG = Logger.getLogger(StreamSessions.class);
    private static final Buffer PING = Buffer.buffer("lab-controller");

    @Inject
    Vertx vertx;
    @Inject
    StreamConfig config;
    @Inject
    StreamMetrics metrics;
    @Inject
    ConsoleHubs hubs;
    @Inject
    Authenticator authenticator;
    @Inject
    AuditService audit;
    @Inject
    LabStreams streams;
    @Inject
    LabViewers viewers;

    private final Set<StreamSession> sessions = ConcurrentHashMap.newKeySet();

    void onStart(@Observes StartupEvent event) {
        vertx.setPeriodic(config.pingInterval().toMillis(), t -> pingAll(System.nanoTime()));
        vertx.setPeriodic(config.recheckInterval().toMillis(), t -> vertx.executeBlocking(() -> {
            recheck();
            hubs.dropSlowViewers();
            return null;
        }, false));
    }

    /**
     * Pings every open session and closes those whose peer answered no ping for the pong timeout
     * (a browser whose network vanished, a proxy that kept the socket): {@code now} is from
     * {@link System#nanoTime()}. As kubevirt's streamer renews its read deadline, each pong renews
     * the session's.
     */
    void pingAll(long now) {
        long timeout = config.pongTimeout().toNanos();
        sessions.forEach(s -> {
            if (now - s.lastPong > timeout) {
                s.close(ErrorCode.SLOW_CLIENT, "Your connection stopped answering pings");
            } else if (!s.ws.isClosed()) {
                s.ws.writePing(PING);
            }
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        sessions.forEach(s -> s.close(ErrorCode.SHUTTING_DOWN, "The controller is shutting down; reconnect in a moment"));
        hubs.closeAll();
    }

    void onLabChanged(@Observes LabService.LabChanged change) {
        ErrorCode code = change.desired() == Desired.DELETED ? ErrorCode.LAB_DELETED : ErrorCode.LAB_STOPPED;
        String reason = change.desired() == Desired.DELETED ? "The lab was deleted" : "The lab was stopped";
        closeLab(change.labId(), null, code, reason);
        hubs.drop(change.labId(), code, reason);
    }

    /**
     * Registers an accepted session, only once its end is handled: the gauge, the audit record and
     * the registration are undone exactly once however early the session closes (even before it
     * is added, or with a browser gone before its close handler was set).
     */
    void add(StreamSession session) {
        metrics.opened(session.kind);
        session.whenClosed(this::ended);
        try {
            session.ws.closeHandler(v -> session.browserClosed());
            session.ws.pongHandler(pong -> session.lastPong = System.nanoTime());
        } catch (IllegalStateException gone) {
            session.browserClosed(); // closed before the handler was set: it would never fire
        }
        // NOTE: a close on another thread may run `ended` before the add; looking again after it
        // removes the session then, and `ended` removes it in every later case.
        sessions.add(session);
        if (session.isClosed()) {
            sessions.remove(session);
        }
    }

    private void ended(StreamSession s) {
        sessions.remove(s);
        metrics.closed(s.kind);
        vertx.executeBlocking(() -> {
            audit.stream(s.caller, s.labId, s.kind.name().toLowerCase(), s.address, s.startedAt,
                    s.fromBrowser.get(), s.toBrowser.get(), s.endCode().name().toLowerCase() + ": " + s.endReason()
                    + (s.grant.mode() == StreamMode.OWN ? "" : " (" + s.grant.mode().label() + ")"));
            if (s.grant.announced()) {
                viewers.left(s.id, s.caller, s.labId, s.grant, s.kind);
            }
            return null;
        }, false);
    }

    /** How many sessions are open on this replica. */
    int openCount() {
        return sessions.size();
    }

    /** Closes this replica's sessions of a lab: of one stream, or of both when {@code kind} is null. */
    void closeLab(String labId, StreamKind kind, ErrorCode code, String reason) {
        sessions.stream().filter(s -> s.labId.equals(labId) && (kind == null || s.kind == kind)).forEach(s -> s.close(code, reason));
    }

    /** Re-authenticates each session and re-checks its lab; one look-up per credential and per lab. */
    private void recheck() {
        Map<StreamSession.Credential, Optional<Caller>> callers = new HashMap<>();
        Map<String, Optional<ApiException>> labChecks = new HashMap<>();
        for (StreamSession s : sessions) {
            Optional<Caller> caller = callers.computeIfAbsent(s.credential, c -> c.resolve(authenticator));
            if (caller.isEmpty() || !caller.get().id().equals(s.caller.id())) {
                s.close(ErrorCode.ACCESS_REVOKED, "Your login ended or your token was revoked");
                continue;
            }
            Optional<ApiException> problem = labChecks.computeIfAbsent(s.caller.id() + "/" + s.labId + "/" + s.kind + "/"
                    + s.grant.mode(), k -> {
                try {
                    streams.check(caller.get(), s.labId, s.kind, s.grant.mode().requested());
                    return Optional.empty();
                } catch (ApiException e) {
                    return Optional.of(e);
                }
            });
            problem.ifPresent(e -> s.close(e.code() == ErrorCode.NOT_FOUND || e.code() == ErrorCode.FORBIDDEN
                    ? ErrorCode.ACCESS_REVOKED : ErrorCode.LAB_STOPPED, e.getMessage()));
        }
        try {
            viewers.touch(sessions.stream().filter(s -> s.grant.announced() && !s.isClosed()).map(s -> s.id).toList());
        } catch (RuntimeException e) {
            LOG.warnf("Could not renew who watches which lab: %s", e.getMessage());
        }
        LOG.tracef("Re-checked %d stream sessions", sessions.size());
    }
}
