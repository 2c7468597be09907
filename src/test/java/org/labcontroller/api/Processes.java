package org.labcontroller.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Looks through /proc for processes whose command line mentions a string (a lab id). */
public final class Processes {
    private Processes() {
    }

    public static boolean anyMention(String needle) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .anyMatch(p -> {
                        try {
                            return new String(Files.readAllBytes(p.resolve("cmdline"))).contains(needle);
                        } catch (IOException e) {
                            return false;
                        }
                    });
        }
    }
}
