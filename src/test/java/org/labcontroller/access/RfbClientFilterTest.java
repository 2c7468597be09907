package org.labcontroller.access;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a watcher's VNC client may send to a lab: the handshake and picture requests, never input. */
class RfbClientFilterTest {
    static final byte[] VERSION = "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SET_PIXEL_FORMAT = {0, 0, 0, 0, 32, 24, 0, 1, 0, (byte) 255, 0, (byte) 255, 0, (byte) 255, 16, 8, 0, 0, 0, 0};
    static final byte[] SET_ENCODINGS = {2, 0, 0, 2, 0, 0, 0, 7, (byte) 0xff, (byte) 0xff, (byte) 0xfe, (byte) 0xfe};
    static final byte[] FB_REQUEST = {3, 1, 0, 0, 0, 0, 3, 32, 2, 88};
    static final byte[] KEY = {4, 1, 0, 0, 0, 0, 0, 0x61};
    static final byte[] POINTER = {5, 1, 0, 10, 0, 20};
    static final byte[] CUT_TEXT = {6, 0, 0, 0, 0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'};
    static final byte[] QEMU_KEY = {(byte) 255, 0, 0, 1, 0, 0, 0, 0x61, 0, 0, 0, 0x1e};
    static final byte[] QEMU_AUDIO_FORMAT = {(byte) 255, 1, 0, 2, 3, 2, 0, 0, (byte) 0xac, 0x44};
    static final byte[] FENCE = {(byte) 248, 0, 0, 0, 0, 0, 0, 3, 4, 9, 8, 7, 6};
    static final byte[] CONTINUOUS = {(byte) 150, 1, 0, 0, 0, 0, 3, 32, 2, 88};
    static final byte[] XVP_REBOOT = {(byte) 250, 0, 1, 3};
    static final byte[] SET_DESKTOP_SIZE = {(byte) 251, 0, 4, 0, 3, 0, 1, 0,
        0, 0, 0, 1, 0, 0, 0, 0, 4, 0, 3, 0, 0, 0, 0, 0};

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static final byte[] SESSION = concat(VERSION, new byte[] {1}, new byte[] {0}, SET_PIXEL_FORMAT, SET_ENCODINGS, FB_REQUEST,
            KEY, POINTER, CUT_TEXT, QEMU_KEY, FENCE, QEMU_AUDIO_FORMAT, CONTINUOUS, XVP_REBOOT, SET_DESKTOP_SIZE, FB_REQUEST);
    /** The same with every input message gone and the ClientInit made shared. */
    static final byte[] WITHOUT_INPUT = concat(VERSION, new byte[] {1}, new byte[] {1}, SET_PIXEL_FORMAT, SET_ENCODINGS,
            FB_REQUEST, FENCE, QEMU_AUDIO_FORMAT, CONTINUOUS, FB_REQUEST);

    static byte[] feed(RfbClientFilter f, byte[] stream, int... cuts) throws RfbClientFilter.Violation {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        for (int cut : cuts) {
            out.writeBytes(f.accept(Buffer.buffer(java.util.Arrays.copyOfRange(stream, from, cut))).getBytes());
            from = cut;
        }
        out.writeBytes(f.accept(Buffer.buffer(java.util.Arrays.copyOfRange(stream, from, stream.length))).getBytes());
        return out.toByteArray();
    }

    @Test
    void aWatcherSendsTheHandshakeAndPictureRequestsButNoInput() throws Exception {
        assertArrayEquals(WITHOUT_INPUT, feed(new RfbClientFilter(true), SESSION));
    }

    @Test
    void theStreamMayBeSplitAtEveryByte() throws Exception {
        for (int cut = 0; cut <= SESSION.length; cut++) {
            assertArrayEquals(WITHOUT_INPUT, feed(new RfbClientFilter(true), SESSION, cut), "split at " + cut);
        }
        int[] everyByte = new int[SESSION.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertArrayEquals(WITHOUT_INPUT, feed(new RfbClientFilter(true), SESSION, everyByte));
    }

    @Test
    void vncAuthenticationsAnswerIsForwarded() throws Exception {
        byte[] answer = new byte[16];
        java.util.Arrays.fill(answer, (byte) 7);
        byte[] in = concat(VERSION, new byte[] {2}, answer, new byte[] {0}, KEY, FB_REQUEST);
        byte[] expected = concat(VERSION, new byte[] {2}, answer, new byte[] {1}, FB_REQUEST);
        assertArrayEquals(expected, feed(new RfbClientFilter(true), in));
    }

    @Test
    void whatItCannotFollowEndsAViewOnlyStream() {
        byte[] handshake = concat(VERSION, new byte[] {1, 1});
        assertThrows(RfbClientFilter.Violation.class, () -> feed(new RfbClientFilter(true), concat(handshake, new byte[] {7, 0, 0, 0})));
        assertThrows(RfbClientFilter.Violation.class, () -> feed(new RfbClientFilter(true), concat(handshake, new byte[] {(byte) 255, 9})));
        assertThrows(RfbClientFilter.Violation.class, () -> feed(new RfbClientFilter(true), "RFB 003.003\n".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(RfbClientFilter.Violation.class, () -> feed(new RfbClientFilter(true), concat(VERSION, new byte[] {19})));
        RfbClientFilter.Violation v = assertThrows(RfbClientFilter.Violation.class,
                () -> feed(new RfbClientFilter(true), concat(handshake, new byte[] {(byte) 200})));
        assertTrue(v.getMessage().contains("200"), v.getMessage());
    }

    @Test
    void aHugeClipboardIsSkippedAsItStreamsWithoutBeingHeld() throws Exception {
        RfbClientFilter f = new RfbClientFilter(true);
        feed(f, concat(VERSION, new byte[] {1, 0}));
        // 2 GiB announced, of which 1 MiB arrives: nothing is forwarded and nothing is kept.
        assertEquals(0, f.accept(Buffer.buffer(new byte[] {6, 0, 0, 0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff})).length());
        assertTrue(f.sawInput());
        for (int i = 0; i < 16; i++) {
            assertEquals(0, f.accept(Buffer.buffer(new byte[65536])).length());
            assertTrue(f.sawInput());
        }
        // The most negative length (an extended clipboard) is read as 2^31 bytes, not as a negative count.
        RfbClientFilter g = new RfbClientFilter(true);
        feed(g, concat(VERSION, new byte[] {1, 0}));
        assertEquals(0, g.accept(Buffer.buffer(new byte[] {6, 0, 0, 0, (byte) 0x80, 0, 0, 0, 1, 2, 3})).length());
    }

    @Test
    void anExtendedPointerEventIsSevenBytesOnceTheClientAskedForIt() throws Exception {
        byte[] encodings = {2, 0, 0, 1, (byte) 0xff, (byte) 0xff, (byte) 0xfe, (byte) 0xc4}; // -316
        byte[] extended = {5, (byte) 0x81, 0, 10, 0, 20, 1};
        byte[] in = concat(VERSION, new byte[] {1, 0}, encodings, extended, FB_REQUEST);
        assertArrayEquals(concat(VERSION, new byte[] {1, 1}, encodings, FB_REQUEST), feed(new RfbClientFilter(true), in));
    }

    @Test
    void anOwnersStreamIsForwardedAsItIsAndTellsWhenItHeldInput() throws Exception {
        RfbClientFilter f = new RfbClientFilter(false);
        Buffer handshake = Buffer.buffer(concat(VERSION, new byte[] {1, 0}, FB_REQUEST));
        assertSame(handshake, f.accept(handshake));
        assertFalse(f.sawInput());
        Buffer key = Buffer.buffer(KEY);
        assertSame(key, f.accept(key));
        assertTrue(f.sawInput());
        f.accept(Buffer.buffer(FB_REQUEST));
        assertFalse(f.sawInput());
        // It loses track on something unknown: it still forwards, and counts everything as input.
        Buffer unknown = Buffer.buffer(new byte[] {(byte) 200, 1, 2});
        assertSame(unknown, f.accept(unknown));
        assertTrue(f.sawInput());
        f.accept(Buffer.buffer(FB_REQUEST));
        assertTrue(f.sawInput());
    }
}
