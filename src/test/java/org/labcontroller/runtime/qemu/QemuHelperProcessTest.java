package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labcontroller.runtime.RuntimeFailure;

/**
 * Helper commands (qemu-img, qemu --version) can neither hang the caller nor block on their output.
 * Fake binaries are shell scripts written by the test; a hung one sleeps for a number unique to the
 * test, so its processes can be found (and must be gone afterwards).
 */
class QemuHelperProcessTest {
    private static final Duration SHORT = Duration.ofMillis(700);
    private static final int TEN_MB = 10 * 1024 * 1024;
    private final String sleepFor = Integer.toString(900_000 + (UUID.randomUUID().hashCode() & 0xffff));

    @TempDir
    Path temp;

    private Path script(String name, String body) throws IOException {
        Path file = temp.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private List<Long> sleepers() {
        return ProcessHandle.allProcesses()
                .filter(h -> QemuFixture.cmdline(h.pid()).contains("sleep " + sleepFor))
                .map(ProcessHandle::pid).toList();
    }

    @AfterEach
    void noSleeperLeft() {
        List<Long> left = sleepers();
        left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        assertEquals(List.of(), left, "helper processes left behind");
    }

    @Test
    void hungQemuImgFailsAfterTheTimeoutAndIsKilledWithItsChildren() throws Exception {
        script("qemu-img", "sleep " + sleepFor + "\necho never");
        DiskOverlay disks = new DiskOverlay(temp.resolve("qemu-system-x86_64").toString(), SHORT);
        RuntimeFailure failure = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(RuntimeFailure.class, () -> disks.format(temp.resolve("qemu-img"))));
        assertEquals("qemu-img info did not finish within 700 ms; it was stopped.", failure.getMessage());
        assertFalse(failure.permanent(), "a timeout is transient");
        await("the sleeping child is killed too").atMost(Duration.ofSeconds(5)).until(() -> sleepers().isEmpty());
    }

    @Test
    void hungQemuMakesTheRuntimeNotReadyInsteadOfBlocking() throws Exception {
        Path qemu = script("qemu-system-x86_64", "sleep " + sleepFor);
        QemuVersion version = new QemuVersion(qemu.toString(), SHORT);
        assertFalse(assertTimeoutPreemptively(Duration.ofSeconds(20), version::works));
    }

    @Test
    void tenMegabytesOfOutputAreReadWhole() throws Exception {
        Path chatty = script("chatty", "head -c " + TEN_MB + " /dev/zero | tr '\\0' x\necho; echo done >&2");
        ProcessRunner.Result result = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> new ProcessRunner(Duration.ofSeconds(20)).run("chatty", List.of(chatty.toString())));
        assertTrue(result.ok());
        assertEquals(TEN_MB + "\ndone".length(), result.output().length());
        assertTrue(result.output().endsWith("x\ndone"));
    }

    @Test
    void tenMegabytesOfQemuImgOutputDoNotBlockItsCaller() throws Exception {
        script("qemu-img", "printf '{\"format\": \"raw\", \"pad\": \"'\nhead -c " + TEN_MB
                + " /dev/zero | tr '\\0' x\nprintf '\"}\\n'");
        DiskOverlay disks = new DiskOverlay(temp.resolve("qemu-system-x86_64").toString(), Duration.ofSeconds(20));
        assertEquals("raw", assertTimeoutPreemptively(Duration.ofSeconds(30), () -> disks.format(temp.resolve("qemu-img"))));
    }

    @Test
    void failingHelperReturnsItsExitCodeAndOutput() throws Exception {
        Path failing = script("failing", "echo 'bad disk' >&2; exit 3");
        ProcessRunner.Result result = new ProcessRunner(Duration.ofSeconds(10)).run("failing", List.of(failing.toString()));
        assertEquals(new ProcessRunner.Result(3, "bad disk"), result);
    }

    @Test
    void missingHelperIsATransientFailureNamingIt() {
        RuntimeFailure failure = assertThrows(RuntimeFailure.class, () -> new ProcessRunner(SHORT)
                .run("qemu-img info", List.of(temp.resolve("nope").toString())));
        assertTrue(failure.getMessage().startsWith("Could not run qemu-img info: "), failure.getMessage());
        assertFalse(failure.permanent());
    }
}
