package org.labcontroller.access;

import io.vertx.core.buffer.Buffer;
import org.labcontroller.problem.ErrorCode;
import org.labcontroller.runtime.StreamKind;

/**
 * What of a browser's frames may reach the lab. The owner's and an assistant's go through as they
 * are and count as input for the lab's inactivity (on the screen only the frames holding keys,
 * pointer or clipboard, not the picture requests); a watcher's console input is dropped, and the
 * watcher is told once in a text frame; a watcher's screen goes through {@link RfbClientFilter},
 * which keeps only what asks for pictures and ends the stream on anything it cannot follow.
 */
final class BrowserInput {
    /** The text the console view of a watcher shows, once, when it first drops input. */
    static final String WATCH_NOTICE = "\r\n\u001b[33m[lab-controller] You are watching: what you type is not sent to the lab.\u001b[0m\r\n";

    private final StreamSession session;
    private final RfbClientFilter rfb;
    private boolean told;

    BrowserInput(StreamSession session) {
        this.session = session;
        this.rfb = session.kind == StreamKind.VNC ? new RfbClientFilter(!session.sendsInput()) : null;
    }

    /**
     * The bytes of {@code data} to write to the lab, or null for none. NOTE: called on the
     * websocket's context only, in frame order; the filter's state needs no lock.
     */
    Buffer pass(Buffer data) {
        if (rfb != null) {
            Buffer out;
            try {
                out = rfb.accept(data);
            } catch (RfbClientFilter.Violation v) {
                // NOTE: fails closed; the reason must fit a close frame (the session cuts it at 100 characters).
                session.close(ErrorCode.BAD_REQUEST, "Watching ended: the viewer sent " + v.getMessage());
                return null;
            }
            if (rfb.sawInput() && session.sendsInput()) {
                session.inputSeen.run();
            }
            return out.length() == 0 ? null : out;
        }
        if (!session.sendsInput()) {
            if (!told && !session.ws.isClosed()) {
                told = true;
                session.ws.writeTextMessage(WATCH_NOTICE);
            }
            return null;
        }
        session.inputSeen.run();
        return data;
    }
}
