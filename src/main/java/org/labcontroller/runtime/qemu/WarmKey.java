package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The name of a saved machine state: a hash of everything that shapes the machine it can be
 * restored into. A state restored into a machine of another shape fails to load at best and hands
 * the guest devices it never saw at worst, so any change (a template's image, CPUs, memory, a network
 * or none, devices, the QEMU binary or its version, or our own command line) gives a new key, and a
 * state under the old key is never used again.
 *
 * <p>The command line is hashed as {@link QemuCommand} builds it for a canonical machine (fixed
 * name and paths), so a change to the command line's shape changes the key without anyone having to
 * remember to bump a version. That shape holds nothing of a lab's own (its MAC and hostname are
 * plugged in after a restore, {@link LabIdentity}), so every lab of a template shares the key.
 * Image files are identified by path, size, modification time and file key (inode), not by content:
 * hashing a multi-gigabyte disk at every start would cost more than the boot it saves, and an image
 * is replaced, not edited in place, by the ways the README describes.
 */
final class WarmKey {
    /** Bumped when what a saved state holds changes (files of an entry, how it is restored). */
    static final int FORMAT = 2; // 2: the RAM in its own file, mapped by restores (WarmRam)

    private WarmKey() {
    }

    /**
     * The key of a machine: {@code argv} is its canonical command line, {@code version} the QEMU
     * version line, {@code files} the binary and image files (null entries are skipped).
     */
    static String of(List<String> argv, String version, List<Path> files) throws IOException {
        MessageDigest sha = sha256();
        field(sha, "format " + FORMAT);
        field(sha, "version " + Objects.requireNonNullElse(version, "?"));
        for (String arg : argv) {
            field(sha, "arg " + arg);
        }
        for (Path file : files) {
            if (file != null) {
                field(sha, "file " + identity(file));
            }
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }

    /** A file's identity without reading it: real path, size, modification time and file key. */
    static String identity(Path file) throws IOException {
        Path real = file.toRealPath();
        BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
        return real + "|" + a.size() + "|" + a.lastModifiedTime().toMillis() + "|" + a.fileKey();
    }

    /** The configured binary as a file: itself when it names a path, else the first match on PATH. */
    static Path binary(String binary) {
        if (binary.contains("/")) {
            return Path.of(binary);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, binary);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** A short stable name for a template id, safe as a file name. */
    static String lineage(String templateId) {
        return HexFormat.of().formatHex(sha256().digest(templateId.getBytes(StandardCharsets.UTF_8)), 0, 6);
    }

    private static void field(MessageDigest sha, String value) {
        sha.update(value.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
