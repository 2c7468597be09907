package org.labcontroller.runtime.kubevirt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.StreamUnavailableException;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus;

/**
 * Thumbnails on KubeVirt come from the instance's {@code vnc/screenshot} subresource; the base
 * class checks after each test that the deployment's RBAC allowed every request.
 */
class KubevirtScreenshotTest extends MockClusterTest {
    private static final String SCREENSHOT_PATH = "/apis/subresources.kubevirt.io/v1/namespaces/" + FakeKubevirt.NAMESPACE
            + "/virtualmachineinstances/%s/vnc/screenshot";

    @Test
    void aRunningLabsScreenshotIsTheSubresourcesPng() throws Exception {
        String lab = running(Labs.spec(Labs.newLabId()));
        byte[] png = runtime.screenshot(lab);
        assertArrayEquals(FakeKubevirt.screen("lab-" + lab), png);
        List<RbacRules.ApiCall> gets = cluster.calls().stream()
                .filter(c -> c.pathOnly().equals(SCREENSHOT_PATH.formatted("lab-" + lab))).toList();
        assertEquals(1, gets.size(), "one GET of the screenshot subresource");
        assertEquals("GET", gets.get(0).method());
        assertTrue(runtime.screenshots());
    }

    @Test
    void aLabWithoutRunningInstanceHasNoScreenshotAndNoRequestIsMade() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        assertThrows(StreamUnavailableException.class, () -> runtime.screenshot(lab));
        assertTrue(cluster.calls().stream().noneMatch(c -> c.pathOnly().endsWith("/vnc/screenshot")));
    }

    @Test
    void aLabWithoutScreenHasNoScreenshot() throws Exception {
        String lab = running(Labs.spec(Labs.newLabId(), true, false, null));
        StreamUnavailableException e = assertThrows(StreamUnavailableException.class, () -> runtime.screenshot(lab));
        assertEquals("Lab " + lab + " does not offer a vnc stream.", e.getMessage());
    }

    @Test
    void aRefusedScreenshotIsARuntimeFailureNamingIt() throws Exception {
        String lab = running(Labs.spec(Labs.newLabId()));
        cluster.failEveryRequestWith(403);
        RuntimeFailure e = assertThrows(RuntimeFailure.class, () -> runtime.screenshot(lab));
        assertTrue(e.getMessage().contains("screenshot"), e.getMessage());
        cluster.failEveryRequestWith(0);
    }

    @Test
    void anInstanceVirtApiFindsUnfitForAScreenshotHasNoScreen() throws Exception {
        String lab = running(Labs.spec(Labs.newLabId()));
        cluster.failEveryRequestWith(400); // virt-api's answer for an instance not running or without display
        StreamUnavailableException e = assertThrows(StreamUnavailableException.class, () -> runtime.screenshot(lab));
        assertEquals("The lab's machine lab-" + lab + " has no screen now: injected by the test", e.getMessage());
        cluster.failEveryRequestWith(0);
    }

    private String running(VmSpec spec) throws Exception {
        runtime.start(spec);
        cluster.runInstance("lab-" + spec.labId(), "Running", null);
        cluster.setVmStatus("lab-" + spec.labId(), "Running", null);
        await().atMost(WAIT).ignoreExceptions().until(() -> runtime.observe().get(spec.labId()).phase() == VmStatus.Phase.RUNNING);
        return spec.labId();
    }
}
