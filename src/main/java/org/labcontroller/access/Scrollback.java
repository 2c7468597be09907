package org.labcontroller.access;

import io.vertx.core.buffer.Buffer;

/** The last bytes a console printed, replayed to every viewer who joins. */
final class Scrollback {
    private final byte[] ring;
    private int start;
    private int size;

    Scrollback(int capacity) {
        this.ring = new byte[capacity];
    }

    synchronized void append(Buffer data) {
        byte[] bytes = data.getBytes();
        int offset = Math.max(0, bytes.length - ring.length);
        for (int i = offset; i < bytes.length; i++) {
            ring[(start + size) % ring.length] = bytes[i];
            if (size < ring.length) {
                size++;
            } else {
                start = (start + 1) % ring.length;
            }
        }
    }

    synchronized Buffer snapshot() {
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = ring[(start + i) % ring.length];
        }
        return Buffer.buffer(out);
    }
}
