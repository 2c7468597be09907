package org.labcontroller.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.vertx.core.Vertx;
import org.labcontroller.account.Caller;
import org.labcontroller.lab.LabStreams;
import org.labcontroller.lab.LabViewers;
import org.labcontroller.problem.ApiException;
import org.labcontroller.storage.Ids;
import org.labcontroller.lab.LabService;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.problem.ErrorCode;

/**
 * Prepares a stream before the upgrade: the access check and the mode (the owner's own, watch or
 * assist; {@link LabStreams}), then the dial — a lab's shared console hub or a fresh screen
 * connection — then, for someone other than the owner, the join the owner is told about.
 */
@ApplicationScoped
class StreamAccess {
    @Inject
    LabService labs;
    @Inject
    ConsoleHubs hubs;
    @Inject
    Backends backends;
    @Inject
    StreamSessions sessions;
    @Inject
    StreamMetrics metrics;
    @Inject
    LabStreams streams;
    @Inject
    LabViewers viewers;
    @Inject
    Vertx vertx;

    /** A checked and dialled stream, waiting for its websocket. */
    interface Prepared {
        Caller caller();

        /** The session's id, known before the upgrade: the owner is told about a watcher before it sees anything. */
        String id();

        LabStreams.Grant grant();

        void attach(StreamSession session);

        /** The upgrade failed: release what was dialled. */
        void abort();
    }

    /**
     * Checks, dials and, for a watcher or an assistant, records and announces the join (so the
     * owner is told before the joiner sees anything). NOTE: blocking; call on a worker.
     */
    Prepared prepare(Caller caller, StreamSession.Credential credential, String labId, StreamKind kind, String address,
            String requestedMode) {
        LabStreams.Grant grant = streams.check(caller, labId, kind, requestedMode);
        String id = Ids.newId();
        if (kind == StreamKind.CONSOLE) {
            ConsoleHub hub = hubs.reserve(labId);
            announce(id, caller, labId, grant, kind, hub::release);
            return new Prepared() {
                public Caller caller() {
                    return caller;
                }

                public String id() {
                    return id;
                }

                public LabStreams.Grant grant() {
                    return grant;
                }

                public void attach(StreamSession session) {
                    sessions.add(session);
                    hub.join(session);
                }

                public void abort() {
                    hub.release();
                    unannounce(id, caller, labId, grant, kind);
                }
            };
        }
        if (labs.exclusiveScreen()) {
            // NOTE: the backend takes one screen connection per machine: the newest viewer wins,
            // and the previous one is told why, before the new connection is dialled.
            sessions.closeLab(labId, kind, ErrorCode.SCREEN_TAKEN, "Another viewer (" + caller.username() + ") opened this lab's screen");
        }
        Backend backend = backends.of(labs.dialStream(labId, kind));
        announce(id, caller, labId, grant, kind, backend::close);
        return new BridgedStream(caller, id, grant, backend, sessions, metrics, () -> unannounce(id, caller, labId, grant, kind));
    }

    /** Records someone else's join; if the owner cannot be told, the stream is not opened (fails closed). */
    private void announce(String id, Caller caller, String labId, LabStreams.Grant grant, StreamKind kind, Runnable undoDial) {
        if (!grant.announced()) {
            return;
        }
        try {
            viewers.joined(id, caller, labId, grant, kind);
        } catch (RuntimeException e) {
            undoDial.run();
            throw new ApiException(ErrorCode.UNAVAILABLE, "The lab's owner could not be told that you joined; try again");
        }
    }

    /** An announced join whose upgrade failed (called on an event loop): the leave is recorded on a worker. */
    private void unannounce(String id, Caller caller, String labId, LabStreams.Grant grant, StreamKind kind) {
        if (grant.announced()) {
            vertx.executeBlocking(() -> {
                viewers.left(id, caller, labId, grant, kind);
                return null;
            }, false);
        }
    }
}
