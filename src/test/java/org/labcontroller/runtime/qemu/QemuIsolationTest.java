package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.VmNetwork;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus.Phase;

/**
 * Issue 11, tried from inside a lab as a student with a root shell would: the guest has its network
 * card configured (by DHCP, which the isolated mode's restricted network still answers) and connects to (a) a server on the host's 127.0.0.1, (b) a server on every host
 * address standing for the controller, (c) a server inside another running lab of the same mode,
 * (d) a server in a namespace of the test's own, standing for the outside world. Every server is
 * first shown to answer from where it should, so a refusal is the network's doing.
 */
class QemuIsolationTest {
    private static final Duration BOOT = Duration.ofSeconds(90);
    private static final Duration PROBE = Duration.ofSeconds(20);

    @Test
    void isolatedLabReachesNothingOnTheHostInAnotherLabOrOutside() throws Exception {
        Map<String, String> reached = probeFromLab(VmNetwork.ISOLATED);
        assertEquals(expected(""), reached);
    }

    @Test
    void internetLabReachesTheOutsideButNothingOnTheHostOrInAnotherLab() throws Exception {
        assumeTrue(Confinement.controllerIsRoot(), "internet mode and the test's own namespace need root");
        Map<String, String> reached = probeFromLab(VmNetwork.INTERNET);
        assertEquals(expected("OUTSIDE"), reached);
    }

    @Test
    void labWithoutNetworkHasNoNetworkCard() throws Exception {
        QemuFixture fixture = new QemuFixture();
        QemuRuntime runtime = fixture.runtime();
        VmSpec spec = fixture.spec("none", QemuFixture.kernelImage()).withNetwork(VmNetwork.NONE);
        try {
            runtime.start(spec);
            await().atMost(BOOT).until(() -> runtime.observe().get(spec.labId()).phase() == Phase.RUNNING);
            try (ConsoleSession console = new ConsoleSession(runtime.open(spec.labId(), StreamKind.CONSOLE))) {
                console.awaitPrompt(BOOT);
                assertEquals("lo", console.capture("echo links-$(ls /sys/class/net | tr -dc a-z0-9)-end", "links", PROBE));
            }
        } finally {
            fixture.cleanUp(runtime);
        }
    }

    private static Map<String, String> expected(String outside) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String key : new String[] {"a host loopback via 10.0.2.2", "b controller via 10.0.2.2",
                "b controller on the host address", "c other lab via 10.0.2.2", "c other lab's own addresses"}) {
            m.put(key, "");
        }
        m.put("d outside", outside);
        return m;
    }

    private static Map<String, String> probeFromLab(VmNetwork mode) throws Exception {
        QemuFixture fixture = new QemuFixture();
        QemuRuntime runtime = fixture.runtime();
        VmSpec a = fixture.spec("a", QemuFixture.kernelImage()).withNetwork(mode);
        VmSpec b = fixture.spec("b", QemuFixture.kernelImage()).withNetwork(mode);
        Map<String, String> reached = new LinkedHashMap<>();
        try (ProbeTargets targets = new ProbeTargets()) {
            int loop = targets.serve("127.0.0.1", "HOSTLOOP");
            int controller = targets.serve("0.0.0.0", "CONTROLLER");
            String host = ProbeTargets.hostAddress();
            assertEquals("HOSTLOOP", ProbeTargets.read("127.0.0.1", loop));
            assertEquals("CONTROLLER", ProbeTargets.read(host, controller));
            String outside = Confinement.controllerIsRoot() ? targets.outside(fixture.prefix, "OUTSIDE") : null;
            runtime.start(a);
            runtime.start(b);
            await().atMost(BOOT).until(() -> runtime.observe().get(a.labId()).phase() == Phase.RUNNING
                    && runtime.observe().get(b.labId()).phase() == Phase.RUNNING);
            try (ConsoleSession ca = new ConsoleSession(runtime.open(a.labId(), StreamKind.CONSOLE));
                 ConsoleSession cb = new ConsoleSession(runtime.open(b.labId(), StreamKind.CONSOLE))) {
                ca.awaitPrompt(BOOT);
                cb.awaitPrompt(BOOT);
                up(ca);
                up(cb);
                cb.type("nc -ll -p 7777 -e echo LABB &");
                // polled inside the guest, up to 5 s, until its server listens
                assertEquals("LABB", cb.capture("for i in $(seq 25); do r=$(nc -w 1 127.0.0.1 7777 </dev/null 2>/dev/null"
                        + " | tr -dc A-Z); [ -n \"$r\" ] && break; usleep 200000; done; echo selfb-$r-end", "selfb", PROBE),
                        "lab b serves itself");
                reached.put("a host loopback via 10.0.2.2", probe(ca, "10.0.2.2:" + loop));
                reached.put("b controller via 10.0.2.2", probe(ca, "10.0.2.2:" + controller));
                reached.put("b controller on the host address", probe(ca, host + ":" + controller));
                reached.put("c other lab via 10.0.2.2", probe(ca, "10.0.2.2:7777"));
                StringBuilder other = new StringBuilder();
                for (String address : labAddresses(fixture, b)) {
                    other.append(probe(ca, address + ":7777"));
                }
                reached.put("c other lab's own addresses", other.toString());
                reached.put("d outside", outside == null ? (mode == VmNetwork.INTERNET ? "OUTSIDE" : "")
                        : probe(ca, outside));
            }
        } finally {
            fixture.cleanUp(runtime);
        }
        for (VmSpec spec : new VmSpec[] {a, b}) {
            String ns = LabNetns.name(VmDirectory.of(fixture.stateDir, spec.labId()));
            assertFalse(Files.exists(Path.of("/run/netns", ns)), "namespace " + ns + " removed with its lab");
        }
        return reached;
    }

    /**
     * The guest configured its card by DHCP while booting (10.0.2.15/24); a restricted network's
     * DHCP names no router, so the student adds the default route a probe beyond the subnet needs.
     */
    private static void up(ConsoleSession console) throws Exception {
        assertEquals("up", console.capture("ip -o -4 addr show dev eth0 | grep -q ' 10.0.2.15/24 '"
                + " && { ip route | grep -q '^default via 10.0.2.2 ' || ip route add default via 10.0.2.2; }"
                + " && echo net-up-end", "net", Duration.ofSeconds(60)));
    }

    private static int probes;

    /** The banner the guest reads from {@code address:port}; empty when it reached nothing. */
    private static String probe(ConsoleSession console, String target) throws Exception {
        String tag = "probe" + (++probes);
        String[] hp = target.split(":");
        return console.capture("echo " + tag + "-$(nc -w 3 " + hp[0] + " " + hp[1]
                + " </dev/null 2>/dev/null | tr -dc A-Z)-end", tag, PROBE);
    }

    /** The addresses lab {@code spec} has on this host outside its guest (an internet lab's link). */
    private static java.util.List<String> labAddresses(QemuFixture fixture, VmSpec spec) throws Exception {
        VmDirectory vm = VmDirectory.of(fixture.stateDir, spec.labId());
        if (!Files.exists(Path.of("/run/netns", LabNetns.name(vm)))) {
            return java.util.List.of();
        }
        Process p = new ProcessBuilder("sh", "-c", "{ ip -n " + LabNetns.name(vm) + " -o -4 addr show dev eth0;"
                + " ip -o -4 addr show dev " + LabNetns.hostLink(vm) + "; } | awk '{ sub(/\\/.*/, \"\", $4); print $4 }'")
                .start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        assertEquals(2, out.lines().count(), "lab b's two link addresses: " + out);
        return out.lines().toList();
    }
}
