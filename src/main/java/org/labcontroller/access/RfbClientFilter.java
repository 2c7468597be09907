package org.labcontroller.access;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads what a VNC client sends to the lab (RFB's client-to-server stream) message by message, so a
 * watcher's screen can never reach the lab: in view-only mode it forwards the handshake (with the
 * ClientInit's shared flag forced on, so a watcher never disconnects the student) and the messages
 * that only ask for pictures, and drops every input message (keys, pointer, clipboard, QEMU's
 * extended keys, xvp power actions, desktop resizes). What it cannot parse ends the stream: it fails
 * closed. In observing mode (the owner, an assistant) it forwards everything and only tells whether a
 * chunk carried input, for the lab's inactivity; there it stops parsing, and counts every chunk as
 * input, once it loses track. Message layouts: RFC 6143 section 7 and the community extensions noVNC
 * sends (its {@code RFB.messages}). Pure and single-threaded: one per session, fed in order.
 */
final class RfbClientFilter {
    /** The client sent something this filter does not understand; a view-only stream must end. */
    static final class Violation extends Exception {
        Violation(String message) {
            super(message);
        }
    }

    private static final int EXTENDED_MOUSE_BUTTONS = -316;
    private static final int MAX_HEADER = 20;

    private enum Phase { VERSION, SECURITY_TYPE, CLIENT_INIT, MESSAGES }

    private final boolean viewOnly;
    private Phase phase = Phase.VERSION;
    private final byte[] header = new byte[MAX_HEADER];
    private int have;
    /** Bytes of the current message still to come after its header: forwarded, or skipped when input. */
    private long bodyLeft;
    private boolean bodyIsInput;
    /** Within a SetEncodings body: the encoding being read, and how many of its bytes came. */
    private boolean readingEncodings;
    private int encoding;
    private int encodingBytes;
    /** The client asked for extended mouse buttons: a pointer event with the marker bit is 7 bytes. */
    private boolean extendedPointer;
    private boolean lost;
    private boolean sawInput;

    RfbClientFilter(boolean viewOnly) {
        this.viewOnly = viewOnly;
    }

    /**
     * Reads the next chunk of the client's stream and answers the bytes to send to the lab: in
     * view-only mode what is left without input, in observing mode the chunk itself.
     * {@link #sawInput()} then tells whether the chunk held (part of) an input message.
     */
    Buffer accept(Buffer chunk) throws Violation {
        sawInput = false;
        if (lost) {
            sawInput = true;
            return chunk;
        }
        Buffer out = viewOnly ? Buffer.buffer(chunk.length()) : null;
        try {
            for (int i = 0; i < chunk.length(); ) {
                i = step(chunk, i, out);
            }
        } catch (Violation v) {
            if (viewOnly) {
                throw v;
            }
            lost = true;
            sawInput = true;
        }
        return viewOnly ? out : chunk;
    }

    /** Whether the last chunk held (part of) an input message. */
    boolean sawInput() {
        return sawInput;
    }

    /** Consumes bytes from {@code i}; answers the index after them. */
    private int step(Buffer chunk, int i, Buffer out) throws Violation {
        if (bodyLeft > 0) {
            int n = (int) Math.min(bodyLeft, chunk.length() - i);
            if (bodyIsInput) {
                sawInput = true;
            } else if (out != null) {
                out.appendBuffer(chunk, i, n);
            }
            if (readingEncodings) {
                for (int k = i; k < i + n; k++) {
                    encoding = encoding << 8 | chunk.getByte(k) & 0xff;
                    if (++encodingBytes == 4) {
                        extendedPointer |= encoding == EXTENDED_MOUSE_BUTTONS;
                        encodingBytes = 0;
                    }
                }
            }
            bodyLeft -= n;
            return i + n;
        }
        header[have++] = chunk.getByte(i);
        if (have == headerLength()) {
            complete(out);
        }
        return i + 1;
    }

    /** How long the current unit's fixed part is, given the bytes read so far (at least one). */
    private int headerLength() throws Violation {
        return switch (phase) {
            case VERSION -> 12;
            case SECURITY_TYPE, CLIENT_INIT -> 1;
            case MESSAGES -> messageHeader(header[0] & 0xff);
        };
    }

    private int messageHeader(int type) throws Violation {
        return switch (type) {
            case 0 -> 20; // SetPixelFormat
            case 2 -> 4; // SetEncodings: type, pad, count; then 4 bytes per encoding
            case 3 -> 10; // FramebufferUpdateRequest
            case 4 -> 8; // KeyEvent
            case 5 -> have >= 2 && extendedPointer && (header[1] & 0x80) != 0 ? 7 : 6; // PointerEvent (extended: 7)
            case 6 -> 8; // ClientCutText: type, 3 pad, signed length; then the text
            case 150 -> 10; // EnableContinuousUpdates
            case 248 -> 9; // Fence: type, 3 pad, flags, length; then the payload
            case 250 -> 4; // xvp
            case 251 -> 8; // SetDesktopSize: type, pad, width, height, screens, pad; then 16 per screen
            case 255 -> have < 2 ? 2 : switch (header[1] & 0xff) {
                case 0 -> 12; // QEMU ExtendedKeyEvent
                case 1 -> have < 4 ? 4 : (u16(2) == 2 ? 10 : 4); // QEMU audio: enable, disable, set format
                default -> throw new Violation("an unknown QEMU client message (" + (header[1] & 0xff) + ")");
            };
            default -> throw new Violation("an unknown client message type (" + type + ")");
        };
    }

    private void complete(Buffer out) throws Violation {
        switch (phase) {
            case VERSION -> {
                String version = new String(header, 0, 12, StandardCharsets.US_ASCII);
                if (!version.equals("RFB 003.008\n") && !version.equals("RFB 003.007\n")) {
                    throw new Violation("an RFB version it cannot follow (" + version.strip() + ")");
                }
                forward(out);
                phase = Phase.SECURITY_TYPE;
            }
            case SECURITY_TYPE -> {
                int type = header[0] & 0xff;
                if (type != 1 && type != 2) {
                    throw new Violation("a security type it cannot follow (" + type + ")");
                }
                forward(out);
                phase = Phase.CLIENT_INIT;
                if (type == 2) {
                    body(16, false); // VNC authentication: the client's 16-byte answer to the challenge
                }
            }
            case CLIENT_INIT -> {
                if (viewOnly) {
                    header[0] = 1; // shared: a watcher never disconnects the other viewers
                }
                forward(out);
                phase = Phase.MESSAGES;
            }
            case MESSAGES -> message(out);
        }
    }

    private void message(Buffer out) {
        int type = header[0] & 0xff;
        switch (type) {
            case 0, 3, 150 -> forward(out);
            case 2 -> {
                int count = u16(2);
                forward(out);
                body(4L * count, false);
                readingEncodings = true;
                encodingBytes = 0;
            }
            case 248 -> {
                int length = header[8] & 0xff;
                forward(out);
                body(length, false);
            }
            case 255 -> {
                if ((header[1] & 0xff) == 0) {
                    drop();
                } else {
                    forward(out);
                }
            }
            case 6 -> {
                int length = (header[4] & 0xff) << 24 | (header[5] & 0xff) << 16 | (header[6] & 0xff) << 8 | header[7] & 0xff;
                drop();
                body(Math.abs((long) length), true); // negative: an extended clipboard message of |length| bytes
            }
            case 251 -> {
                int screens = header[6] & 0xff;
                drop();
                body(16L * screens, true);
            }
            default -> drop(); // 4, 5, 250: input, dropped whole
        }
    }

    private void body(long length, boolean input) {
        bodyLeft = length;
        bodyIsInput = input;
        readingEncodings = false;
    }

    private void forward(Buffer out) {
        if (out != null) {
            out.appendBytes(header, 0, have);
        }
        have = 0;
    }

    private void drop() {
        sawInput = true;
        have = 0;
    }

    private int u16(int at) {
        return (header[at] & 0xff) << 8 | header[at + 1] & 0xff;
    }
}
