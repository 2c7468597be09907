package org.labcontroller.runtime.kubevirt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP relay between the adapter and the mock API server that can misbehave like a network: hold
 * the adapter's bytes until {@link #release} (a dial that takes too long), or drop everything the
 * server sends from {@link #muteServer} on (a virt-api gone silent, pongs included).
 */
final class StallingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final URI target;
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean holding;
    private volatile boolean serverMuted;

    StallingProxy(URI target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "stalling-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    /** The proxy's base URL, to use as the client's master URL. */
    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort() + "/";
    }

    /** From now on, the adapter's bytes wait until {@link #release}. */
    void hold() {
        holding = true;
    }

    void release() {
        holding = false;
        released.countDown();
    }

    /** From now on, what the server sends is dropped. */
    void muteServer() {
        serverMuted = true;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getHost(), target.getPort());
                sockets.add(client);
                sockets.add(server);
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (fromClient && holding) {
                        released.await();
                    }
                    if (!fromClient && serverMuted) {
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the other side went away
            } finally {
                close(from);
                close(to);
            }
        }, "stalling-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        release();
        listener.close();
        sockets.forEach(StallingProxy::close);
    }
}
