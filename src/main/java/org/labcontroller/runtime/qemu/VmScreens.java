package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.StreamUnavailableException;

/**
 * Takes a picture of a running VM's screen with QMP's {@code screendump} (PNG since QEMU 7.1). QEMU
 * can only write the picture to a file, and once it has switched to its own user it can no longer
 * enter the lab's directory (the controller's, 0700). So the picture goes to a fresh private
 * directory (0700) that QEMU's user owns, and file and directory are deleted before the bytes are
 * returned: the controller never keeps a student's screen on disk.
 */
final class VmScreens {
    private final QmpSessions qmp;
    private final Duration timeout;
    private final String qemuUser;

    /** {@code qemuUser}: the user QEMU switches to when the controller runs as root. */
    VmScreens(QmpSessions qmp, Duration timeout, String qemuUser) {
        this.qmp = qmp;
        this.timeout = timeout;
        this.qemuUser = qemuUser;
    }

    /** The screen of the lab as PNG bytes. */
    byte[] screendump(VmDirectory vm) throws StreamUnavailableException, RuntimeFailure {
        if (!vm.exists() || QemuProcess.find(vm).isEmpty()) {
            throw new StreamUnavailableException("Lab " + vm.labId() + " is not running.");
        }
        if (!vm.offers("vnc")) {
            throw new StreamUnavailableException("Lab " + vm.labId() + " does not offer a vnc stream.");
        }
        Path dir = null;
        Path file = null;
        try {
            dir = Files.createTempDirectory("lab-screen-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            if (Confinement.controllerIsRoot() && qemuUser != null && !qemuUser.isBlank()) {
                var owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(qemuUser);
                Files.setOwner(dir, owner); // QEMU has switched to this user: it writes here, and no one else reads
            }
            file = dir.resolve("screen-" + UUID.randomUUID() + ".png");
            Path target = file;
            // NOTE: QmpSessions serialises this with the lab's other QMP calls; QEMU writes the file
            // before it answers, so the file is complete once execute returns.
            qmp.call(vm, timeout, session -> session.execute("screendump",
                    Map.of("filename", target.toString(), "format", "png")));
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new RuntimeFailure("QEMU of lab " + vm.labId() + " gave no screenshot: " + e.getMessage(), e);
        } finally {
            try {
                if (file != null) {
                    Files.deleteIfExists(file);
                }
                if (dir != null) {
                    Files.deleteIfExists(dir);
                }
            } catch (IOException ignored) {
                // a temporary directory; nothing else refers to it
            }
        }
    }
}
