package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labcontroller.runtime.Readiness;

/**
 * Console readiness over a serial log written by the test instead of QEMU (the machine's process
 * is this JVM, which stays alive): one event when the pattern shows, an answer from the mark for a
 * controller started later, and a reset that makes the new boot wait for its own prompt.
 */
class ConsoleReadinessTest {
    @TempDir
    Path stateDir;

    private static void print(VmDirectory vm, String text) throws IOException {
        Files.writeString(BootFiles.log(vm), text, StandardCharsets.ISO_8859_1, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void thePromptWakesTheLoopOnceAndALaterControllerReadsTheMark() throws Exception {
        VmDirectory vm = VmDirectory.of(stateDir, "lab-1");
        vm.create();
        BootFiles.launching(vm, new Readiness(Readiness.CONSOLE, "lab:~# ", 300));
        ConsoleReadiness consoles = new ConsoleReadiness();
        List<String> events = new CopyOnWriteArrayList<>();
        consoles.listen(events::add);

        assertFalse(consoles.ready(vm, ProcessHandle.current()), "no output yet");
        print(vm, "[    0.000000] Linux version 6.1\r\nlab:");
        assertFalse(consoles.ready(vm, ProcessHandle.current()), "half a prompt");
        print(vm, "~# ");
        await("the readiness event").atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
        await("no second event").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> events.equals(List.of("lab-1")));
        assertTrue(consoles.ready(vm, ProcessHandle.current()));
        assertTrue(new ConsoleReadiness().ready(vm, ProcessHandle.current()), "a restarted controller reads the mark");

        BootFiles.reset(vm);
        consoles.rebooted("lab-1");
        assertFalse(consoles.ready(vm, ProcessHandle.current()), "a reset boot waits for its own prompt");
        assertFalse(new ConsoleReadiness().ready(vm, ProcessHandle.current()), "for a restarted controller too");
        assertEquals(0, Files.size(BootFiles.log(vm)), "the old boot's output is gone");
        print(vm, "lab:~# ");
        await("the new boot's event").atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
    }

    @Test
    void theHistoryForALateViewerStartsAtALineAndEndsAtTheLatestOutput() throws Exception {
        VmDirectory vm = VmDirectory.of(stateDir, "lab-3");
        vm.create();
        BootFiles.launching(vm, new Readiness(Readiness.CONSOLE, "lab:~# ", 300));
        assertEquals(0, BootFiles.tail(vm, 100).length, "no output yet");
        print(vm, "x".repeat(200) + "\r\nBusyBox built-in shell\r\nlab:~# ");
        assertEquals("BusyBox built-in shell\r\nlab:~# ", new String(BootFiles.tail(vm, 50), StandardCharsets.ISO_8859_1));
        assertEquals("lab:~# ", new String(BootFiles.tail(vm, 10), StandardCharsets.ISO_8859_1));
    }

    @Test
    void aMachineWithoutConsoleReadinessIsReadyAndNotWatched() throws Exception {
        VmDirectory vm = VmDirectory.of(stateDir, "lab-2");
        vm.create();
        BootFiles.launching(vm, Readiness.IMMEDIATE);
        ConsoleReadiness consoles = new ConsoleReadiness();
        assertTrue(consoles.ready(vm, ProcessHandle.current()));
        assertEquals(null, consoles.watch(vm, ProcessHandle.current()));
    }
}
