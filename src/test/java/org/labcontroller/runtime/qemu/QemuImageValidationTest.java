package org.labcontroller.runtime.qemu;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labcontroller.runtime.InvalidImageException;
import org.labcontroller.runtime.VmImage;

/** validate() accepts only readable files inside the image directory, and names the wrong field. */
class QemuImageValidationTest {
    @TempDir
    Path temp;
    private Path images;
    private QemuRuntime runtime;

    @BeforeEach
    void setUp() throws IOException {
        images = Files.createDirectories(temp.resolve("images"));
        Files.createDirectories(images.resolve("demo"));
        Files.writeString(images.resolve("demo/vmlinuz"), "kernel");
        Files.writeString(images.resolve("demo/initrd.img"), "initrd");
        Files.writeString(images.resolve("demo/disk.img"), "disk");
        Files.writeString(temp.resolve("secret.img"), "outside");
        runtime = new QemuRuntime(new QemuFixture.Config("qemu-system-x86_64", QemuConfig.Accel.TCG, 2,
                temp.resolve("vms").toString(), images.toString(), Duration.ofSeconds(10)));
    }

    private String rejectedField(VmImage image) {
        return assertThrows(InvalidImageException.class, () -> runtime.validate(image)).field();
    }

    private static VmImage image(String kernel, String initrd, String disk) {
        return new VmImage(kernel, initrd, disk, null, null);
    }

    @Test
    void acceptsKernelWithInitrdDiskOnlyAndBoth() {
        assertDoesNotThrow(() -> runtime.validate(image("demo/vmlinuz", "demo/initrd.img", null)));
        assertDoesNotThrow(() -> runtime.validate(image(null, null, "demo/disk.img")));
        assertDoesNotThrow(() -> runtime.validate(image("demo/vmlinuz", null, "demo/disk.img")));
        assertDoesNotThrow(() -> runtime.validate(image(images.resolve("demo/vmlinuz").toString(), null, null)));
    }

    @Test
    void rejectsMissingFilesNamingTheField() {
        assertEquals("image.kernel", rejectedField(image("demo/nope", null, null)));
        assertEquals("image.initrd", rejectedField(image("demo/vmlinuz", "demo/nope", null)));
        assertEquals("image.disk", rejectedField(image(null, null, "demo/nope.qcow2")));
        assertEquals("image.disk", rejectedField(image(null, null, "demo")));
    }

    @Test
    void rejectsPathsThatEscapeTheImageDirectory() throws IOException {
        assertEquals("image.kernel", rejectedField(image("../secret.img", null, null)));
        assertEquals("image.kernel", rejectedField(image("demo/../../secret.img", null, null)));
        assertEquals("image.disk", rejectedField(image(null, null, temp.resolve("secret.img").toString())));
        assertEquals("image.disk", rejectedField(image(null, null, "/etc/passwd")));
        Files.createSymbolicLink(images.resolve("demo/link.img"), temp.resolve("secret.img"));
        assertEquals("image.disk", rejectedField(image(null, null, "demo/link.img")));
    }

    @Test
    void rejectsIncompleteOrForeignImages() {
        assertEquals("image.kernel", rejectedField(image(null, null, null)));
        assertEquals("image.initrd", rejectedField(image(null, "demo/initrd.img", "demo/disk.img")));
        assertEquals("image.containerDisk",
                rejectedField(new VmImage(null, null, null, null, "quay.io/containerdisks/fedora:40")));
    }

    @Test
    void messageSaysWhatIsWrong() {
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> runtime.validate(image("../secret.img", null, null)));
        assertEquals("'../secret.img' points outside the image directory; use a path relative to it.", e.getMessage());
    }
}
