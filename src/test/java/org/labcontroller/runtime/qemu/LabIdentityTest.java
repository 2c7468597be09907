package org.labcontroller.runtime.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.VmNetwork;

/** A lab's MAC and hostname: stable per lab id, different between labs, valid on a network. */
class LabIdentityTest {
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    @Test
    void theSameLabAlwaysHasTheSameIdentity() {
        String id = "0193a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b";
        assertEquals(LabIdentity.of(id).mac(), LabIdentity.of(id).mac());
        assertEquals(LabIdentity.of(id).hostname(), LabIdentity.of(id).hostname());
    }

    @Test
    void labsCreatedInTheSameMinuteDifferThoughTheirIdsShareAPrefix() {
        Set<String> macs = new HashSet<>();
        Set<String> hosts = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            LabIdentity id = LabIdentity.of(String.format("0193a1b2-7c3d-7e4f-8a5b-%012d", i)); // UUIDv7: time first
            macs.add(id.mac());
            hosts.add(id.hostname());
        }
        assertEquals(1000, macs.size());
        assertEquals(1000, hosts.size());
    }

    @Test
    void theMacIsALocallyAdministeredUnicastAddressOutsideQemusRange() {
        for (String labId : List.of("a", "qt1234-first", "0193a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b")) {
            String mac = LabIdentity.of(labId).mac();
            assertTrue(MAC.matcher(mac).matches(), mac);
            int first = Integer.parseInt(mac.substring(0, 2), 16);
            assertEquals(2, first & 0x03, "locally administered (bit 1), unicast (bit 0 clear): " + mac);
            assertNotEquals("52:54:00", mac.substring(0, 8));
        }
    }

    @Test
    void theHostnameIsADnsLabelEndingInLabSoTheDemoPromptPatternStillMatches() {
        String host = LabIdentity.of("qt1234-first").hostname();
        assertTrue(LABEL.matcher(host).matches(), host);
        assertTrue(Pattern.compile(QemuRuntime.DEMO_PROMPT).matcher(host + ":~# ").find(), host);
    }

    @Test
    void aColdBootCarriesTheIdentityAndNoneHasNoCard() {
        LabIdentity id = LabIdentity.of("x");
        assertEquals(List.of("-netdev", "user,id=net0,ipv6=off,restrict=on,hostname=" + id.hostname(),
                "-device", "virtio-net-pci,netdev=net0,mac=" + id.mac()), id.coldNetwork(VmNetwork.ISOLATED));
        assertEquals(List.of(), id.coldNetwork(VmNetwork.NONE));
        assertEquals(List.of(), LabIdentity.hotplugSlot(VmNetwork.NONE));
    }
}
