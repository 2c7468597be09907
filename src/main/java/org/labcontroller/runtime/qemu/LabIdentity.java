package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.labcontroller.runtime.VmNetwork;

/**
 * What tells one lab's machine from another's on a network: its network card's MAC address and
 * the hostname QEMU's user network hands the guest by DHCP, both derived from the lab id, so they
 * are the same at every start of the lab and differ between labs, cold or warm.
 *
 * <p>The MAC is {@code 02:} followed by 40 bits of the SHA-256 of the lab id: the locally
 * administered bit set and the group bit clear (a unicast address no vendor owns), and outside
 * QEMU's {@code 52:54:00} range, where QEMU's own default {@code 52:54:00:12:34:56} and libvirt's
 * random addresses live. 40 bits make two equal addresses among 10,000 labs a 1-in-20,000 chance.
 * The hostname is {@code <8 hex digits of that hash>-lab}: a valid DNS label, ending in {@code lab}
 * so a console pattern written for the demo's prompt ({@code lab:~# }, stored with existing
 * templates) still matches {@code 3f2a1c9b-lab:~# }.
 *
 * <p>A cold boot has the card on its command line ({@link #coldNetwork}). A saved state cannot
 * carry it: QEMU migrates a virtio card's MAC with the machine, so every lab restored from one
 * state would have the warm-up machine's. The warm shape therefore has no card but a free PCIe
 * root port ({@link #hotplugSlot}), and a restored lab gets its own backend and card over QMP once
 * it runs ({@link #plug}); the guest configures a card that appears by DHCP, which sets its
 * hostname. A lab of network mode {@code none} has no card, so neither a MAC nor a hostname of its
 * own: its guest keeps the image's hostname ({@code lab} for the demo) and is seen by nobody.
 */
final class LabIdentity {
    /** The id of the network backend and of the port a restored lab's card is plugged into. */
    static final String NETDEV = "net0";
    static final String PORT = "nicport";
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(2);

    private final String mac;
    private final String hostname;

    private LabIdentity(String mac, String hostname) {
        this.mac = mac;
        this.hostname = hostname;
    }

    /** The identity of lab {@code labId}. */
    static LabIdentity of(String labId) {
        byte[] h = WarmKey.sha256().digest(labId.getBytes(StandardCharsets.UTF_8));
        StringBuilder mac = new StringBuilder("02");
        for (int i = 0; i < 5; i++) {
            mac.append(':').append(String.format("%02x", h[i] & 0xff));
        }
        return new LabIdentity(mac.toString(), String.format("%02x%02x%02x%02x-lab", h[5], h[6], h[7], h[8]));
    }

    String mac() {
        return mac;
    }

    String hostname() {
        return hostname;
    }

    /**
     * A cold boot's network card of mode {@code mode} with this identity. {@code isolated}: QEMU's
     * user network with {@code restrict=on}, which drops every packet the guest sends out (DHCP
     * still answers), so the guest reaches neither the host's loopback (10.0.2.2) nor anything
     * else. {@code internet}: the same network without the restriction; the launcher runs such a
     * QEMU inside the lab's own network namespace ({@link LabNetns}), where 10.0.2.2 is that
     * namespace's empty loopback.
     */
    List<String> coldNetwork(VmNetwork mode) {
        if (mode == VmNetwork.NONE) {
            return List.of();
        }
        return List.of("-netdev", "user,id=" + NETDEV + ",ipv6=off" + (mode == VmNetwork.ISOLATED ? ",restrict=on" : "")
                        + ",hostname=" + hostname,
                "-device", "virtio-net-pci,netdev=" + NETDEV + ",mac=" + mac);
    }

    /** The warm shape's free port for the card {@link #plug} adds; none for mode {@code none}. */
    static List<String> hotplugSlot(VmNetwork mode) {
        return mode == VmNetwork.NONE ? List.of() : List.of("-device", "pcie-root-port,id=" + PORT + ",chassis=1");
    }

    /**
     * Gives a restored, running machine its network: the user-network backend of {@code mode}
     * (backends are not part of a saved state, so this one is the lab's own) and a virtio card with
     * this MAC in the free port. Nothing for mode {@code none}.
     */
    void plug(QmpSessions qmp, VmDirectory vm, VmNetwork mode) throws IOException {
        if (mode == VmNetwork.NONE) {
            return;
        }
        Map<String, Object> netdev = new LinkedHashMap<>();
        netdev.put("type", "user");
        netdev.put("id", NETDEV);
        netdev.put("ipv6", false);
        if (mode == VmNetwork.ISOLATED) {
            netdev.put("restrict", true);
        }
        netdev.put("hostname", hostname);
        Map<String, Object> card = Map.of("driver", "virtio-net-pci", "id", "nic0", "netdev", NETDEV, "mac", mac,
                "bus", PORT);
        qmp.call(vm, QMP_TIMEOUT, session -> {
            session.execute("netdev_add", netdev);
            session.execute("device_add", card);
            return null;
        });
    }
}
