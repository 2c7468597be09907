package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.StreamUnavailableException;

/**
 * Takes a picture of a running VM's screen with QMP's {@code screendump} (PNG since QEMU 7.1). QEMU
 * can only write the picture to a file, so it goes to a fresh name in the lab's own directory
 * (readable by the controller's user only) and is deleted before the bytes are returned: the
 * controller never keeps a student's screen on disk.
 */
final class VmScreens {
    private final QmpSessions qmp;
    private final Duration timeout;

    VmScreens(QmpSessions qmp, Duration timeout) {
        this.qmp = qmp;
        this.timeout = timeout;
    }

    /** The screen of the lab as PNG bytes. */
    byte[] screendump(VmDirectory vm) throws StreamUnavailableException, RuntimeFailure {
        if (!vm.exists() || QemuProcess.find(vm).isEmpty()) {
            throw new StreamUnavailableException("Lab " + vm.labId() + " is not running.");
        }
        if (!vm.offers("vnc")) {
            throw new StreamUnavailableException("Lab " + vm.labId() + " does not offer a vnc stream.");
        }
        Path file = vm.dir().resolve("screen-" + UUID.randomUUID() + ".png");
        try {
            // NOTE: QmpSessions serialises this with the lab's other QMP calls; QEMU writes the file
            // before it answers, so the file is complete once execute returns.
            qmp.call(vm, timeout, session -> session.execute("screendump",
                    Map.of("filename", file.toString(), "format", "png")));
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new RuntimeFailure("QEMU of lab " + vm.labId() + " gave no screenshot: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the lab directory is removed with the lab at the latest
            }
        }
    }
}
