package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.labcontroller.runtime.RuntimeFailure;

/**
 * The network namespace an {@code internet} lab's QEMU runs in. Exists because QEMU's user network
 * connects out from the namespace it runs in: on the host, its 10.0.2.2 is the host's loopback and
 * every host address is one hop away. In the lab's own namespace 10.0.2.2 is an empty loopback,
 * and its only link is a veth pair to the host, where one nftables table ({@code inet labcontroller})
 * drops everything that comes in from a lab's veth for the host itself (any of its addresses, so the
 * controller too), drops forwarding from one lab's veth to another's, and masquerades the rest
 * out. Each lab gets a /30 of {@code 10.231.0.0/16}.
 *
 * <p>Needs root (namespaces, links, nftables, IPv4 forwarding, which it turns on host-wide).
 * NOTE: set-ups run one at a time (a class-wide lock) so two labs never take the same /30.
 */
final class LabNetns {
    static final String HOST_PREFIX = "lbh";
    static final String POOL = "10.231.";
    private static final Pattern POOL_ADDRESS = Pattern.compile("inet 10\\.231\\.(\\d+)\\.(\\d+)/");
    private static final String RULES = """
            table inet labcontroller
            delete table inet labcontroller
            table inet labcontroller {
              chain input { type filter hook input priority filter - 10; policy accept; iifname "lbh*" drop; }
              chain forward { type filter hook forward priority filter - 10; policy accept;
                iifname "lbh*" oifname "lbh*" drop; }
              chain postrouting { type nat hook postrouting priority srcnat; policy accept;
                ip saddr 10.231.0.0/16 oifname != "lbh*" masquerade; }
            }
            """;
    private static final Object LOCK = new Object();
    private final ProcessRunner runner = new ProcessRunner(Duration.ofSeconds(10));

    /** The namespace's name (also its file under /run/netns). */
    static String name(VmDirectory vm) {
        return "lab-" + hash(vm.labId());
    }

    /** The lab's side of its link, as the host's routes see it. */
    static String hostLink(VmDirectory vm) {
        return HOST_PREFIX + hash(vm.labId());
    }

    /**
     * Builds the lab's namespace afresh (removing a left-over one) and the host's rules; returns the
     * command prefix that runs QEMU inside it.
     */
    List<String> create(VmDirectory vm) throws RuntimeFailure {
        if (!Confinement.controllerIsRoot()) {
            throw RuntimeFailure.permanent("Network mode 'internet' needs the controller to run as root (a network"
                    + " namespace per lab keeps the lab off the host); use 'isolated' or run the controller as root.", null);
        }
        String ns = name(vm);
        String host = hostLink(vm);
        String peer = "lbp" + hash(vm.labId());
        synchronized (LOCK) {
            remove(vm);
            hostRules();
            int base = freeSlot(vm.labId()) * 4;
            String prefix = POOL + (base / 256) + ".";
            String hostAddr = prefix + (base % 256 + 1);
            // Two batches (the host's side, then the namespace's) instead of a process per step.
            batch(List.of(), List.of("netns add " + ns, "link add " + host + " type veth peer name " + peer,
                    "link set " + peer + " netns " + ns, "addr add " + hostAddr + "/30 dev " + host,
                    "link set " + host + " up"));
            batch(List.of("-n", ns), List.of("link set " + peer + " name eth0",
                    "addr add " + prefix + (base % 256 + 2) + "/30 dev eth0", "link set eth0 up", "link set lo up",
                    "route add default via " + hostAddr));
        }
        return List.of("nsenter", "--net=/run/netns/" + ns, "--");
    }

    /** Removes the lab's namespace and link; nothing happens when there are none. */
    void remove(VmDirectory vm) throws RuntimeFailure {
        if (Files.exists(Path.of("/sys/class/net", hostLink(vm)))) {
            runner.run("ip link del", List.of("ip", "link", "del", hostLink(vm)));
        }
        if (Files.exists(Path.of("/run/netns", name(vm)))) {
            run("ip netns del", List.of("ip", "netns", "del", name(vm)));
        }
    }

    private void hostRules() throws RuntimeFailure {
        try {
            Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
            Path file = Files.createTempFile("lab-nft-", ".conf");
            try {
                Files.writeString(file, RULES);
                run("nft (the labs' host rules)", List.of("nft", "-f", file.toString()));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new RuntimeFailure("Could not set up the host's rules for internet labs: " + e.getMessage(), e);
        }
    }

    /** A /30 of the pool no host link uses yet, probing from the lab's hash. */
    private int freeSlot(String labId) throws RuntimeFailure {
        String addresses = run("ip addr", List.of("ip", "-o", "-4", "addr", "show"));
        List<Integer> used = new ArrayList<>();
        Matcher m = POOL_ADDRESS.matcher(addresses);
        while (m.find()) {
            used.add((Integer.parseInt(m.group(1)) * 256 + Integer.parseInt(m.group(2))) / 4);
        }
        int start = Math.floorMod(labId.hashCode(), 16384);
        for (int i = 0; i < 16384; i++) {
            int slot = (start + i) % 16384;
            if (!used.contains(slot)) {
                return slot;
            }
        }
        throw new RuntimeFailure("No free address for another internet lab on this host.");
    }

    private void batch(List<String> options, List<String> commands) throws RuntimeFailure {
        try {
            Path file = Files.createTempFile("lab-ip-", ".batch");
            try {
                Files.write(file, commands);
                List<String> argv = new ArrayList<>(List.of("ip"));
                argv.addAll(options);
                argv.addAll(List.of("-batch", file.toString()));
                run("ip -batch", argv);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new RuntimeFailure("Could not set up the lab's network: " + e.getMessage(), e);
        }
    }

    private String run(String what, List<String> argv) throws RuntimeFailure {
        ProcessRunner.Result result = runner.run(what, argv);
        if (!result.ok()) {
            throw new RuntimeFailure("Could not set up the lab's network (" + String.join(" ", argv) + "): "
                    + result.output());
        }
        return result.output();
    }

    private static String hash(String labId) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(labId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
