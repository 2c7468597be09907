package org.labcontroller.runtime.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.labcontroller.runtime.RuntimeFailure;

/**
 * A lab's copy-on-write view of its template disk, made with {@code qemu-img}. The template is never
 * written; each lab's changes go to its own qcow2 overlay, which survives stop and restart and goes
 * away with the lab.
 */
final class DiskOverlay {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String qemuImg;
    private final ProcessRunner runner;

    /** Uses the {@code qemu-img} next to the configured QEMU binary, or the one on PATH. */
    DiskOverlay(String qemuBinary) {
        this(qemuBinary, Duration.ofSeconds(60));
    }

    /** As above; each {@code qemu-img} run is killed after {@code timeout}. */
    DiskOverlay(String qemuBinary, Duration timeout) {
        Path parent = Path.of(qemuBinary).getParent();
        this.qemuImg = parent == null ? "qemu-img" : parent.resolve("qemu-img").toString();
        this.runner = new ProcessRunner(timeout);
    }

    /**
     * Creates {@code overlay} over {@code base} unless it exists already (a restart keeps it).
     *
     * @throws RuntimeFailure permanent when the base disk is missing, unreadable or not a disk image
     */
    void ensure(Path base, Path overlay) throws RuntimeFailure {
        if (!Files.isRegularFile(base) || !Files.isReadable(base)) {
            // The overlay reads its base at every boot: without it the lab cannot run, however often tried.
            throw RuntimeFailure.permanent("The lab's base disk " + base.getFileName() + " is missing or unreadable.", null);
        }
        if (Files.exists(overlay)) {
            return;
        }
        String format = format(base);
        Path tmp = overlay.resolveSibling(overlay.getFileName() + ".tmp");
        ProcessRunner.Result created = runner.run("qemu-img create", List.of(qemuImg, "create", "-q", "-f", "qcow2",
                "-F", format, "-b", base.toString(), tmp.toString()));
        if (!created.ok()) {
            throw new RuntimeFailure("qemu-img create failed: " + created.output());
        }
        try {
            Files.move(tmp, overlay);
        } catch (IOException e) {
            throw new RuntimeFailure("Could not create the lab's disk overlay: " + e.getMessage(), e);
        }
    }

    /**
     * The format of a disk file as {@code qemu-img info} detects it ({@code raw}, {@code qcow2}, ...).
     *
     * @throws RuntimeFailure permanent when qemu-img cannot open the file or tell its format
     */
    String format(Path disk) throws RuntimeFailure {
        ProcessRunner.Result info = runner.run("qemu-img info", List.of(qemuImg, "info", "--output=json", disk.toString()));
        if (!info.ok()) {
            throw RuntimeFailure.permanent("The disk " + disk.getFileName() + " cannot be used: " + info.output(), null);
        }
        String format;
        try {
            format = JSON.readTree(info.output()).path("format").asText("");
        } catch (IOException e) {
            throw new RuntimeFailure("Unreadable qemu-img output for " + disk.getFileName(), e);
        }
        if (format.isEmpty()) {
            throw RuntimeFailure.permanent("qemu-img could not tell the format of " + disk.getFileName() + ".", null);
        }
        return format;
    }
}
