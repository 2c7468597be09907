package org.labcontroller.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds a lab's QEMU process from /proc, as an operator would with pgrep. */
public final class QemuProcesses {
    private QemuProcesses() {
    }

    /** Every live QEMU whose command line mentions {@code text} (a data directory, a lab id). */
    public static java.util.List<Long> all(String text) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            String cmd = new String(Files.readAllBytes(p.resolve("cmdline")));
                            return cmd.contains("qemu-system") && cmd.contains(text);
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .toList();
        }
    }

    static Optional<Long> pidOf(String labId) throws IOException {
        return all(labId).stream().findFirst();
    }

}
