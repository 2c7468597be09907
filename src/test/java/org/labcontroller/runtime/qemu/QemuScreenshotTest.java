package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.StreamUnavailableException;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus.Phase;

/** A real QEMU's screen through QMP {@code screendump}: a PNG that decodes, and no file left behind. */
class QemuScreenshotTest extends QemuLabTest {
    private static final Duration BOOT = Duration.ofSeconds(90);

    @Test
    void aRunningLabsScreenshotIsAPngOfItsScreenAndLeavesNoFile() throws Exception {
        VmSpec spec = fixture.spec("screen", QemuFixture.kernelImage());
        runtime.start(spec);
        await().atMost(BOOT).until(() -> runtime.observe(spec.labId()).phase() == Phase.RUNNING);

        byte[] png = runtime.screenshot(spec.labId());

        assertEquals("\u0089PNG", new String(png, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1), "a PNG signature");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(image, "the PNG decodes");
        assertTrue(image.getWidth() >= 320 && image.getWidth() <= 4096, "width " + image.getWidth());
        assertTrue(image.getHeight() >= 200 && image.getHeight() <= 4096, "height " + image.getHeight());
        try (Stream<java.nio.file.Path> files = Files.list(VmDirectory.of(fixture.stateDir, spec.labId()).dir())) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".png")), "the screendump file is deleted");
        }
        assertTrue(runtime.screenshots());
    }

    @Test
    void aLabWithoutScreenOrNotRunningHasNoScreenshot() throws Exception {
        VmSpec consoleOnly = new VmSpec(fixture.labId("noscreen"), "student", QemuFixture.kernelImage(), 1, 192, null, true, false, 0);
        runtime.start(consoleOnly);
        StreamUnavailableException e = assertThrows(StreamUnavailableException.class, () -> runtime.screenshot(consoleOnly.labId()));
        assertEquals("Lab " + consoleOnly.labId() + " does not offer a vnc stream.", e.getMessage());
        runtime.stop(consoleOnly.labId());
        e = assertThrows(StreamUnavailableException.class, () -> runtime.screenshot(consoleOnly.labId()));
        assertEquals("Lab " + consoleOnly.labId() + " is not running.", e.getMessage());
        assertThrows(StreamUnavailableException.class, () -> runtime.screenshot(fixture.labId("never")));
    }
}
