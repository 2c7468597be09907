package org.labcontroller.runtime.kubevirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.client.http.WebSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The websocket channel's bounded buffer: it stops asking for frames when full and resumes when read. */
class KubevirtStreamBufferTest {

    /** A websocket that only counts demand and records what is sent. */
    private static final class CountingSocket implements WebSocket {
        final AtomicInteger requests = new AtomicInteger();
        final List<ByteBuffer> sent = new ArrayList<>();

        public boolean send(ByteBuffer buffer) {
            sent.add(buffer);
            return true;
        }

        public boolean sendClose(int code, String reason) {
            return true;
        }

        public long queueSize() {
            return 0;
        }

        public void request() {
            requests.incrementAndGet();
        }
    }

    @Test
    void aFullBufferWithholdsDemandUntilTheReaderCatchesUp() throws IOException {
        CountingSocket socket = new CountingSocket();
        WebSocketChannel channel = new WebSocketChannel(8);
        channel.onOpen(socket);
        channel.onMessage(socket, ByteBuffer.wrap(new byte[5]));
        assertEquals(1, socket.requests.get(), "room left: next frame requested");
        channel.onMessage(socket, ByteBuffer.wrap(new byte[5]));
        assertEquals(1, socket.requests.get(), "full: no further frame requested");
        channel.read(ByteBuffer.allocate(1));
        assertEquals(1, socket.requests.get(), "still 9 buffered of 8");
        channel.read(ByteBuffer.allocate(4));
        assertEquals(2, socket.requests.get(), "room again: demand resumed");
    }

    @Test
    void readsReturnBytesInOrderThenEndOfStream() throws IOException {
        CountingSocket socket = new CountingSocket();
        WebSocketChannel channel = new WebSocketChannel(1024);
        channel.onOpen(socket);
        channel.onMessage(socket, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        channel.onMessage(socket, ByteBuffer.wrap(new byte[] {4}));
        channel.onClose(socket, 1000, "bye");
        ByteBuffer all = ByteBuffer.allocate(10);
        assertEquals(4, channel.read(all));
        assertEquals(List.of((byte) 1, (byte) 2, (byte) 3, (byte) 4), List.of(all.get(0), all.get(1), all.get(2), all.get(3)));
        assertEquals(-1, channel.read(all));
    }

    @Test
    void anAbnormalCloseIsAnErrorForTheReader() {
        CountingSocket socket = new CountingSocket();
        WebSocketChannel channel = new WebSocketChannel(1024);
        channel.onOpen(socket);
        channel.onClose(socket, 1011, "virt-handler went away");
        IOException e = assertThrows(IOException.class, () -> channel.read(ByteBuffer.allocate(1)));
        assertEquals("KubeVirt closed the stream (1011, virt-handler went away)", e.getMessage());
    }

    @Test
    void eachWriteIsOneBinaryFrame() throws IOException {
        CountingSocket socket = new CountingSocket();
        WebSocketChannel channel = new WebSocketChannel(1024);
        channel.onOpen(socket);
        assertEquals(3, channel.write(ByteBuffer.wrap(new byte[] {7, 8, 9})));
        assertEquals(1, socket.sent.size());
        assertEquals(3, socket.sent.get(0).remaining());
    }
}
