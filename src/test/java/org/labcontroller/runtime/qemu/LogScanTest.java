package org.labcontroller.runtime.qemu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The incremental search of a serial log for a readiness pattern, without QEMU. */
class LogScanTest {
    private static final BootFiles.Boot BOOT = new BootFiles.Boot("console", "lab:~# ", "boot-1");
    @TempDir
    Path dir;

    private void append(Path log, String text) throws IOException {
        Files.writeString(log, text, StandardCharsets.ISO_8859_1, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void aPromptSplitAcrossTwoReadsIsFound() throws IOException {
        Path log = dir.resolve("serial.log");
        LogScan scan = new LogScan();
        assertFalse(scan.found(log, BOOT), "no log yet");
        append(log, "Booting...\r\nlab:");
        assertFalse(scan.found(log, BOOT));
        append(log, "~# \u001b[6n");
        assertTrue(scan.found(log, BOOT));
    }

    @Test
    void aTruncatedLogIsReadFromItsStartAndANewBootForgetsTheOld() throws IOException {
        Path log = dir.resolve("serial.log");
        LogScan scan = new LogScan();
        append(log, "x".repeat(10_000) + "lab:");
        assertFalse(scan.found(log, BOOT));
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(log, "~# ");
        assertTrue(scan.found(log, BOOT), "the tail read before the truncation still counts within one boot");

        BootFiles.Boot next = new BootFiles.Boot("console", "lab:~# ", "boot-2");
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(log, "~# ");
        assertFalse(scan.found(log, next), "output of the earlier boot never counts for the next");
    }

    @Test
    void outputLongerThanOneReadIsScannedToItsEnd() throws IOException {
        Path log = dir.resolve("serial.log");
        append(log, "y".repeat(LogScan.MAX_READ * 2) + "lab:~# ");
        LogScan scan = new LogScan();
        assertFalse(scan.found(log, BOOT));
        assertFalse(scan.found(log, BOOT));
        assertTrue(scan.found(log, BOOT));
    }
}
