package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * How a lab's machine last started, in plain words (warm from its template's saved state, or cold
 * and why), kept in the lab's {@code start-note} file so every controller reports the same. The
 * runtime reports it as the reason of a running, ready machine, which the lab shows.
 */
final class StartNote {
    private StartNote() {
    }

    private static Path file(VmDirectory vm) {
        return vm.dir().resolve("start-note");
    }

    /** Records {@code note} for the launch about to happen; null removes it. */
    static void write(VmDirectory vm, String note) throws IOException {
        if (note == null) {
            Files.deleteIfExists(file(vm));
            return;
        }
        Path tmp = file(vm).resolveSibling("start-note.tmp");
        Files.writeString(tmp, note, StandardCharsets.UTF_8);
        Files.move(tmp, file(vm), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The note of the current launch; null when there is none. */
    static String read(VmDirectory vm) {
        try {
            return Files.readString(file(vm), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
