package org.labcontroller.runtime.kubevirt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.StreamUnavailableException;

/** Console and VNC bytes bridged both ways between the channel and KubeVirt's websocket subresources. */
class KubevirtStreamTest extends MockClusterTest {
    @Test
    void consoleBytesFlowBothWays() throws Exception {
        String lab = running(Labs.spec(Labs.newLabId()));
        try (ByteChannel console = runtime.open(lab, StreamKind.CONSOLE)) {
            assertEquals("login: ", read(console, 7));
            console.write(ByteBuffer.wrap("root\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals("root\n", read(console, 5));
        }
        assertEquals("root\n", cluster.streamInput("lab-" + lab, "console"));
    }

    @Test
    void vncSpeaksRfbThroughTheChannel() throws Exception {
        String lab = running(Labs.spec(Labs.newLabId()));
        try (ByteChannel vnc = runtime.open(lab, StreamKind.VNC)) {
            assertEquals(FakeKubevirt.RFB_VERSION, read(vnc, 12));
            vnc.write(ByteBuffer.wrap(FakeKubevirt.RFB_VERSION.getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer securityTypes = ByteBuffer.allocate(2);
            while (securityTypes.hasRemaining()) {
                vnc.read(securityTypes);
            }
            assertArrayEquals(new byte[] {1, 1}, securityTypes.array());
        }
        assertEquals(FakeKubevirt.RFB_VERSION, cluster.streamInput("lab-" + lab, "vnc"));
    }

    @Test
    void aLabWithoutRunningInstanceHasNoStream() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        StreamUnavailableException e = assertThrows(StreamUnavailableException.class, () -> runtime.open(lab, StreamKind.CONSOLE));
        assertEquals("Lab " + lab + " is not running.", e.getMessage());
    }

    @Test
    void aStreamTheTemplateDoesNotOfferIsRefusedBeforeDialing() throws Exception {
        String lab = running(Labs.spec(Labs.newLabId(), true, false, null));
        StreamUnavailableException e = assertThrows(StreamUnavailableException.class, () -> runtime.open(lab, StreamKind.VNC));
        assertEquals("Lab " + lab + " does not offer a vnc stream.", e.getMessage());
    }

    @Test
    void aClosedChannelRefusesFurtherUse() throws Exception {
        String lab = running(Labs.spec(Labs.newLabId()));
        ByteChannel console = runtime.open(lab, StreamKind.CONSOLE);
        console.close();
        assertEquals(false, console.isOpen());
        assertThrows(IOException.class, () -> console.read(ByteBuffer.allocate(1)));
    }

    private String running(org.labcontroller.runtime.VmSpec spec) throws Exception {
        runtime.start(spec);
        cluster.runInstance("lab-" + spec.labId(), "Running", null);
        cluster.setVmStatus("lab-" + spec.labId(), "Running", null);
        await().atMost(WAIT).ignoreExceptions().until(() -> runtime.observe().get(spec.labId()).phase()
                == org.labcontroller.runtime.VmStatus.Phase.RUNNING);
        return spec.labId();
    }

    private static String read(ByteChannel channel, int bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                break;
            }
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }
}
