package org.labcontroller.runtime.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.labcontroller.runtime.RuntimeFailure;

/**
 * A lab's copy-on-write view of its template disk, made with {@code qemu-img}. The template is never
 * written; each lab's changes go to its own qcow2 overlay, which survives stop and restart and goes
 * away with the lab.
 */
final class DiskOverlay {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String qemuImg;

    /** Uses the {@code qemu-img} next to the configured QEMU binary, or the one on PATH. */
    DiskOverlay(String qemuBinary) {
        Path parent = Path.of(qemuBinary).getParent();
        this.qemuImg = parent == null ? "qemu-img" : parent.resolve("qemu-img").toString();
    }

    /** Creates {@code overlay} over {@code base} unless it exists already (a restart keeps it). */
    void ensure(Path base, Path overlay) throws RuntimeFailure {
        if (Files.exists(overlay)) {
            return;
        }
        String format = format(base);
        Path tmp = overlay.resolveSibling(overlay.getFileName() + ".tmp");
        run(List.of(qemuImg, "create", "-q", "-f", "qcow2", "-F", format, "-b", base.toString(), tmp.toString()));
        try {
            Files.move(tmp, overlay);
        } catch (IOException e) {
            throw new RuntimeFailure("Could not create the lab's disk overlay: " + e.getMessage(), e);
        }
    }

    /** The format of a disk file as {@code qemu-img info} detects it ({@code raw}, {@code qcow2}, ...). */
    String format(Path disk) throws RuntimeFailure {
        String out = run(List.of(qemuImg, "info", "--output=json", disk.toString()));
        try {
            JsonNode info = JSON.readTree(out);
            String format = info.path("format").asText("");
            if (format.isEmpty()) {
                throw new RuntimeFailure("qemu-img could not tell the format of " + disk.getFileName());
            }
            return format;
        } catch (IOException e) {
            throw new RuntimeFailure("Unreadable qemu-img output for " + disk.getFileName(), e);
        }
    }

    private static String run(List<String> argv) throws RuntimeFailure {
        List<String> command = new ArrayList<>(argv);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new RuntimeFailure("qemu-img did not finish: " + String.join(" ", command));
            }
            String text = new String(out, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new RuntimeFailure("qemu-img " + argv.get(1) + " failed: " + text);
            }
            return text;
        } catch (IOException e) {
            throw new RuntimeFailure("Could not run qemu-img: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("Interrupted while running qemu-img", e);
        }
    }
}
