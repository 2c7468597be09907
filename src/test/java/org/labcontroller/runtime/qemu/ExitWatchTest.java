package org.labcontroller.runtime.qemu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exit watch of a launched QEMU, whichever path watched it first. */
class ExitWatchTest {
    @TempDir
    Path dir;

    @Test
    void aChildAnObserverWatchedFirstStillHasItsPidFileRemovedBeforeTheListenerHearsOfItsCleanExit() throws Exception {
        Path pidFile = Files.writeString(dir.resolve("qemu.pid"), "1");
        Process child = new ProcessBuilder("cat").start(); // exits 0 when its input ends, like a guest powering off
        ExitWatch watch = new ExitWatch();
        CompletableFuture<Boolean> pidFileGoneWhenHeard = new CompletableFuture<>();
        watch.listen(id -> pidFileGoneWhenHeard.complete(Files.notExists(pidFile)));

        watch.track("l1", child.toHandle()); // the observe loop found it through its launch file
        watch.track("l1", child, pidFile);   // then the launch that started it returned
        child.getOutputStream().close();

        assertTrue(pidFileGoneWhenHeard.get(30, TimeUnit.SECONDS), "a clean exit reads as a power-off, not a kill");
    }
}
