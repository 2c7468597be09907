package org.labcontroller.access;

import org.labcontroller.account.Caller;
import org.labcontroller.lab.LabStreams;

/**
 * A prepared stream whose lab end is one backend of its own (a screen connection, or a stream
 * relayed to the replica that serves the lab), bridged 1:1 to the viewer's websocket once it exists.
 */
record BridgedStream(Caller caller, String id, LabStreams.Grant grant, Backend backend, StreamSessions sessions,
        StreamMetrics metrics, Runnable afterAbort) implements StreamAccess.Prepared {

    @Override
    public void attach(StreamSession session) {
        sessions.add(session);
        Bridge.connect(session, backend, metrics);
    }

    @Override
    public void abort() {
        backend.close();
        afterAbort.run();
    }
}
