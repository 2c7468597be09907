package org.labcontroller.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.labcontroller.account.Caller;
import org.labcontroller.lab.LabService;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.problem.ErrorCode;

/**
 * Prepares a stream before the upgrade: the access check through the lab service (the same one
 * the REST API uses), then the dial — a lab's shared console hub or a fresh screen connection.
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

    /** A checked and dialled stream, waiting for its websocket. */
    interface Prepared {
        Caller caller();

        void attach(StreamSession session);

        /** The upgrade failed: release what was dialled. */
        void abort();
    }

    Prepared prepare(Caller caller, StreamSession.Credential credential, String labId, StreamKind kind, String address) {
        labs.checkStream(caller, labId, kind);
        if (kind == StreamKind.CONSOLE) {
            ConsoleHub hub = hubs.reserve(labId);
            return new Prepared() {
                public Caller caller() {
                    return caller;
                }

                public void attach(StreamSession session) {
                    sessions.add(session);
                    hub.join(session);
                }

                public void abort() {
                    hub.release();
                }
            };
        }
        if (labs.exclusiveScreen()) {
            // NOTE: the backend takes one screen connection per machine: the newest viewer wins,
            // and the previous one is told why, before the new connection is dialled.
            sessions.closeLab(labId, kind, ErrorCode.SCREEN_TAKEN, "Another viewer (" + caller.username() + ") opened this lab's screen");
        }
        Backend backend = backends.of(labs.dialStream(labId, kind));
        return new Prepared() {
            public Caller caller() {
                return caller;
            }

            public void attach(StreamSession session) {
                sessions.add(session);
                Bridge.connect(session, backend, metrics);
            }

            public void abort() {
                backend.close();
            }
        };
    }
}
