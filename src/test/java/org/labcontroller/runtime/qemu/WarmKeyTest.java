package org.labcontroller.runtime.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A saved state's key changes with everything that shapes the machine, and only with that. */
class WarmKeyTest {
    @TempDir
    Path dir;

    private static final List<String> ARGV = List.of("qemu-system-x86_64", "-m", "192M", "-kernel", "/img/vmlinuz");
    private static final String VERSION = "QEMU emulator version 7.2.22";

    @Test
    void theSameMachineHasTheSameKey() throws Exception {
        Path kernel = Files.writeString(dir.resolve("vmlinuz"), "k");
        assertEquals(WarmKey.of(ARGV, VERSION, Arrays.asList(kernel, null)), WarmKey.of(ARGV, VERSION, List.of(kernel)));
    }

    @Test
    void memoryDevicesOrCommandLineShapeChangeTheKey() throws Exception {
        List<String> more = List.of("qemu-system-x86_64", "-m", "256M", "-kernel", "/img/vmlinuz");
        List<String> vga = List.of("qemu-system-x86_64", "-m", "192M", "-kernel", "/img/vmlinuz", "-device", "VGA");
        String key = WarmKey.of(ARGV, VERSION, List.of());
        assertNotEquals(key, WarmKey.of(more, VERSION, List.of()));
        assertNotEquals(key, WarmKey.of(vga, VERSION, List.of()));
    }

    @Test
    void anotherQemuVersionChangesTheKey() throws Exception {
        assertNotEquals(WarmKey.of(ARGV, VERSION, List.of()), WarmKey.of(ARGV, "QEMU emulator version 8.2.0", List.of()));
    }

    @Test
    void aReplacedImageFileChangesTheKey() throws Exception {
        Path kernel = Files.writeString(dir.resolve("vmlinuz"), "k");
        String before = WarmKey.of(ARGV, VERSION, List.of(kernel));
        Files.setLastModifiedTime(kernel, FileTime.fromMillis(Files.getLastModifiedTime(kernel).toMillis() + 1000));
        assertNotEquals(before, WarmKey.of(ARGV, VERSION, List.of(kernel)), "a new modification time");
        String touched = WarmKey.of(ARGV, VERSION, List.of(kernel));
        Files.writeString(kernel, "kernel-2");
        Files.setLastModifiedTime(kernel, FileTime.fromMillis(Files.getLastModifiedTime(kernel).toMillis()));
        assertNotEquals(touched, WarmKey.of(ARGV, VERSION, List.of(kernel)), "another size");
    }

    @Test
    void eachTemplateHasItsOwnStableLineage() {
        assertEquals(WarmKey.lineage("t1"), WarmKey.lineage("t1"));
        assertNotEquals(WarmKey.lineage("t1"), WarmKey.lineage("t2"));
    }
}
