package org.labcontroller.runtime.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a lab must or must not reach, set up by a test on this machine: TCP servers that answer a
 * banner (one on the host's 127.0.0.1, one on every host address standing for the controller), and,
 * as root, a server in a network namespace of the test's own with an address that is not loopback
 * (standing for "the outside"; never an address beyond this machine).
 *
 * <p>NOTE: each server's accept loop runs on its own virtual thread; close() closes the sockets,
 * which ends the loops.
 */
final class ProbeTargets implements AutoCloseable {
    private final List<AutoCloseable> open = new ArrayList<>();
    private String namespace;
    private String link;

    /** A banner server bound to {@code address} (port chosen by the system); returns the port. */
    int serve(String address, String banner) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        open.add(server);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write((banner + "\n").getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                    // the server was closed, or one client went away
                }
            }
        });
        return server.getLocalPort();
    }

    /** The first IPv4 address of this host that is not loopback (the address a controller serves on). */
    static String hostAddress() throws IOException {
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
            if (nif.isUp() && !nif.isLoopback() && !nif.getName().startsWith(LabNetns.HOST_PREFIX)) {
                for (InetAddress a : nif.inetAddresses().toList()) {
                    if (a instanceof Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        }
        throw new IOException("this host has no IPv4 address besides loopback");
    }

    /**
     * As root: a namespace with a veth link to the host and a banner server on its end of the link;
     * returns {@code address:port} of that server, after checking from the host that it answers.
     */
    String outside(String prefix, String banner) throws Exception {
        int net = ThreadLocalRandom.current().nextInt(256);
        namespace = "t" + prefix;
        link = "tv" + prefix.substring(prefix.length() - 8);
        String address = "198.18." + net + ".2";
        sh("ip netns add " + namespace);
        sh("ip link add " + link + " type veth peer name " + link + "p");
        sh("ip link set " + link + "p netns " + namespace);
        sh("ip -n " + namespace + " addr add " + address + "/30 dev " + link + "p");
        sh("ip -n " + namespace + " link set " + link + "p up");
        sh("ip addr add 198.18." + net + ".1/30 dev " + link);
        sh("ip link set " + link + " up");
        Process server = new ProcessBuilder("nsenter", "--net=/run/netns/" + namespace, "--",
                "/bin/busybox", "nc", "-ll", "-p", "7070", "-e", "echo", banner)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        open.add(() -> {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        });
        org.awaitility.Awaitility.await("the outside server answers the host").atMost(Duration.ofSeconds(10))
                .ignoreExceptions().until(() -> banner.equals(read(address, 7070)));
        return address + ":7070";
    }

    /** The first line a banner server at {@code address:port} sends, read from the host. */
    static String read(String address, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }

    private static void sh(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), command + ": " + out);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (link != null) {
            new ProcessBuilder("ip", "link", "del", link).start().waitFor();
        }
        if (namespace != null) {
            new ProcessBuilder("ip", "netns", "del", namespace).start().waitFor();
        }
    }
}
