package org.labcontroller.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;

/** Collects what a lab stream sends, on a virtual thread, so tests can wait for text in it. */
public final class StreamReader implements AutoCloseable {
    private final ByteChannel channel;
    private final StringBuffer text = new StringBuffer();
    private final Thread reader;

    public StreamReader(ByteChannel channel) {
        this.channel = channel;
        this.reader = Thread.ofVirtual().start(this::pump);
    }

    private void pump() {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        try {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                text.append(StandardCharsets.ISO_8859_1.decode(buffer));
                buffer.clear();
            }
        } catch (IOException e) {
            // the stream ended; what was read stays available
        }
    }

    public String text() {
        return text.toString();
    }

    public void send(String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        reader.interrupt();
    }
}
