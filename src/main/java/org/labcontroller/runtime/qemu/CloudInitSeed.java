package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The NoCloud seed a cloud image reads its user data from. QEMU presents the lab's {@code cloud-init}
 * directory to the guest as a read-only FAT disk labelled {@code cidata} (its {@code vvfat} driver),
 * so no ISO or FAT tool is needed on the host. Best effort: images without cloud-init ignore it.
 */
final class CloudInitSeed {
    private CloudInitSeed() {
    }

    /** Writes {@code user-data} and {@code meta-data}; returns the directory, or null without user data. */
    static Path write(VmDirectory vm, String userData) throws IOException {
        Path dir = vm.cloudInitDir();
        if (userData == null || userData.isBlank()) {
            if (Files.isDirectory(dir)) {
                for (String name : new String[] {"user-data", "meta-data"}) {
                    Files.deleteIfExists(dir.resolve(name));
                }
                Files.deleteIfExists(dir);
            }
            return null;
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("user-data"), userData);
        Files.writeString(dir.resolve("meta-data"),
                "instance-id: " + vm.processName() + "\nlocal-hostname: lab\n");
        return dir;
    }
}
