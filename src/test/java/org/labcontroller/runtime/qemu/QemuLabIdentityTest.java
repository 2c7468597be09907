package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.runtime.VmNetwork;
import org.labcontroller.runtime.VmSpec;

/**
 * Issue 14's per-lab identity against real QEMU and the demo image: two labs restored from one
 * saved state, and a cold one, each show the MAC address and hostname of their own lab id on their
 * console; on a disk-image template a file written in one restored lab is absent from the other,
 * survives its lab's restart (a reboot, then a cold boot of the used disk), and the disk checks
 * clean ({@code e2fsck -fn} on the host: the guest has no e2fsck) once the guest unmounted it.
 */
class QemuLabIdentityTest extends WarmRuntimeFixture {
    private static final Pattern IDENT = Pattern.compile("(?:^|\n)ident-([0-9a-f:]*)-([a-z0-9-]+)-end\r?\n");

    private VmSpec spec(String name, VmImage image, int restartGeneration) {
        return new VmSpec(fixture.labId(name), "student", image, 1, 192, null, true, true, restartGeneration, PROMPT,
                VmNetwork.ISOLATED, "t-demo");
    }

    /** The MAC and hostname the guest reports, once its card is configured (a restored lab's is plugged in after). */
    private static String[] identity(ConsoleSession console) {
        String[] seen = new String[2];
        try {
            awaitIdentity(console, seen);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no configured card with a DHCP hostname; last seen: MAC '" + seen[0]
                    + "', hostname '" + seen[1] + "'", e);
        }
        return seen;
    }

    private static void awaitIdentity(ConsoleSession console, String[] seen) {
        await("the guest's eth0 address and a DHCP hostname").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    Matcher m = IDENT.matcher(console.text());
                    while (m.find()) {
                        seen[0] = m.group(1);
                        seen[1] = m.group(2);
                    }
                    if (seen[0] != null && !seen[0].isEmpty() && !"lab".equals(seen[1])) {
                        return true;
                    }
                    console.clear();
                    console.type("echo ident-$(cat /sys/class/net/eth0/address 2>/dev/null)-$(hostname)-end");
                    return false;
                });
    }

    private String[] identityOf(VmSpec spec) throws Exception {
        try (ConsoleSession console = new ConsoleSession(runtime.open(spec.labId(), StreamKind.CONSOLE))) {
            console.awaitPrompt(BOOT);
            String[] id = identity(console);
            console.clear();
            console.awaitPrompt(Duration.ofSeconds(20));
            assertTrue(console.text().contains(id[1] + ":~# "), "the prompt shows the lab's hostname: " + console.text());
            return id;
        }
    }

    private void assertIdentity(VmSpec spec, String[] seen) {
        LabIdentity expected = LabIdentity.of(spec.labId());
        assertEquals(expected.mac(), seen[0], "MAC of " + spec.labId());
        assertEquals(expected.hostname(), seen[1], "hostname of " + spec.labId());
    }

    @Test
    void twoRestoredLabsAndAColdOneHaveTheMacAndHostnameOfTheirOwnLabId() throws Exception {
        VmSpec cold = spec("cold", KERNEL, 0);
        runtime.start(cold);
        warmUps.runAll();
        VmSpec a = spec("a", KERNEL, 0);
        VmSpec b = spec("b", KERNEL, 0);
        runtime.start(a);
        runtime.start(b);
        assertEquals(WarmStart.WARM, runtime.observe(a.labId()).reason());
        assertEquals(WarmStart.WARM, runtime.observe(b.labId()).reason());

        String[] idA = identityOf(a);
        String[] idB = identityOf(b);
        assertNotEquals(idA[0], idB[0], "two restored labs of one template have different MACs");
        assertNotEquals(idA[1], idB[1], "and different hostnames");
        assertIdentity(a, idA);
        assertIdentity(b, idB);
        assertEquals(WarmStart.PREPARING, runtime.observe(cold.labId()).reason());
        assertIdentity(cold, identityOf(cold));
    }

    @Test
    void aFileWrittenInOneRestoredLabIsAbsentFromTheOtherSurvivesItsRestartsAndItsDiskChecksClean() throws Exception {
        runtime.start(spec("first", DISK, 0));
        warmUps.runAll();
        VmSpec a = spec("a", DISK, 0);
        VmSpec b = spec("b", DISK, 0);
        runtime.start(a);
        runtime.start(b);
        assertEquals(WarmStart.WARM, runtime.observe(a.labId()).reason());
        assertEquals(WarmStart.WARM, runtime.observe(b.labId()).reason());
        try (ConsoleSession console = new ConsoleSession(runtime.open(a.labId(), StreamKind.CONSOLE))) {
            console.run("echo only-in-a > /mnt/disk/note && sync && echo written-ok", "written-ok");
        }
        try (ConsoleSession console = new ConsoleSession(runtime.open(b.labId(), StreamKind.CONSOLE))) {
            console.run("test -e /mnt/disk/note && echo present || echo absent", "absent");
        }

        VmSpec restarted = spec("a", DISK, 1);
        runtime.restart(restarted); // the guest reboots in its own machine, its hot-plugged card still in
        await().atMost(BOOT).until(() -> runtime.observe(a.labId()).ready());
        assertIdentity(a, identityOf(a));
        try (ConsoleSession console = new ConsoleSession(runtime.open(a.labId(), StreamKind.CONSOLE))) {
            console.awaitPrompt(BOOT);
            console.run("cat /mnt/disk/note", "only-in-a");
        }

        runtime.stop(a.labId());
        runtime.start(restarted); // a new machine: its disk changed, so it boots cold
        await().atMost(BOOT).until(() -> runtime.observe(a.labId()).ready());
        assertTrue(runtime.observe(a.labId()).reason().startsWith("Cold boot: its disk has been used"),
                runtime.observe(a.labId()).reason());
        assertIdentity(a, identityOf(a));
        try (ConsoleSession console = new ConsoleSession(runtime.open(a.labId(), StreamKind.CONSOLE))) {
            console.awaitPrompt(BOOT);
            console.run("cat /mnt/disk/note", "only-in-a");
            console.run("umount /mnt/disk && echo unmounted-ok", "unmounted-ok");
        }
        runtime.stop(a.labId());
        assertEquals("", fsck(VmDirectory.of(fixture.stateDir, a.labId()).overlay()));
    }

    /** e2fsck -fn of the filesystem in {@code overlay} (through a raw copy); empty when it is clean. */
    private static String fsck(Path overlay) throws Exception {
        Path raw = Files.createTempFile(overlay.getParent(), "fsck", ".raw");
        try {
            String convert = run("qemu-img", "convert", "-O", "raw", overlay.toString(), raw.toString());
            assertEquals("exit 0", convert.substring(0, 6), convert);
            String check = run("/sbin/e2fsck", "-fn", raw.toString());
            return check.startsWith("exit 0") ? "" : check;
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        return "exit " + p.exitValue() + ": " + out;
    }
}
