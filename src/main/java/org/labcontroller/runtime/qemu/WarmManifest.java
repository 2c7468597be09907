package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The {@code manifest.properties} of a saved state, written last: its presence says the entry is
 * complete, and its sizes and SHA-256 (of the device state and of the RAM file, {@link WarmRam}) say
 * whether the files are still the ones saved. Split from
 * {@link WarmCache}, which decides when each check runs.
 */
final class WarmManifest {
    private WarmManifest() {
    }

    /**
     * Writes the manifest of the entry in {@code dir}, hashing its RAM file (whose writer, the
     * warm-up machine, is gone by then); returns whether it has a disk.
     */
    static boolean write(Path dir, String key, String stateSha256) throws IOException {
        boolean hasDisk = Files.exists(dir.resolve(WarmCache.DISK));
        Properties manifest = new Properties();
        manifest.setProperty("key", key);
        manifest.setProperty("format", Integer.toString(WarmKey.FORMAT));
        manifest.setProperty("stateSize", Long.toString(Files.size(dir.resolve(WarmCache.STATE))));
        manifest.setProperty("stateSha256", stateSha256);
        manifest.setProperty("ramSize", Long.toString(Files.size(dir.resolve(WarmRam.FILE))));
        try {
            manifest.setProperty("ramSha256", sha256(dir.resolve(WarmRam.FILE)));
        } catch (WarmCache.Unusable e) {
            throw new IOException(e.getMessage(), e);
        }
        manifest.setProperty("disk", Boolean.toString(hasDisk));
        if (hasDisk) {
            manifest.setProperty("diskSize", Long.toString(Files.size(dir.resolve(WarmCache.DISK))));
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve(WarmCache.MANIFEST), StandardCharsets.UTF_8)) {
            manifest.store(w, "saved machine state " + key);
        }
        return hasDisk;
    }

    /**
     * Checks that the entry's files have the sizes its manifest records (cheap: no file is read);
     * returns whether it has a disk.
     */
    static boolean check(Path dir) throws WarmCache.Unusable {
        Properties manifest = read(dir);
        boolean hasDisk = Boolean.parseBoolean(manifest.getProperty("disk"));
        checkSize(dir.resolve(WarmCache.STATE), manifest.getProperty("stateSize"));
        checkSize(dir.resolve(WarmRam.FILE), manifest.getProperty("ramSize"));
        if (hasDisk) {
            checkSize(dir.resolve(WarmCache.DISK), manifest.getProperty("diskSize"));
        }
        return hasDisk;
    }

    /** Reads the whole state and RAM file and compares their SHA-256 with the manifest's. */
    static void verifyChecksum(Path dir) throws WarmCache.Unusable {
        Properties manifest = read(dir);
        if (!sha256(dir.resolve(WarmCache.STATE)).equals(manifest.getProperty("stateSha256"))) {
            throw new WarmCache.Unusable(WarmCache.STATE + " does not match its checksum");
        }
        if (!sha256(dir.resolve(WarmRam.FILE)).equals(manifest.getProperty("ramSha256"))) {
            throw new WarmCache.Unusable(WarmRam.FILE + " does not match its checksum");
        }
    }

    private static Properties read(Path dir) throws WarmCache.Unusable {
        Properties manifest = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve(WarmCache.MANIFEST), StandardCharsets.UTF_8)) {
            manifest.load(r);
        } catch (IOException e) {
            throw new WarmCache.Unusable("its manifest cannot be read (" + e.getMessage() + ")");
        }
        return manifest;
    }

    private static void checkSize(Path file, String expected) throws WarmCache.Unusable {
        try {
            long size = Files.size(file);
            if (expected == null || size != Long.parseLong(expected)) {
                throw new WarmCache.Unusable(file.getFileName() + " has " + size + " bytes, its manifest says " + expected);
            }
        } catch (IOException | NumberFormatException e) {
            throw new WarmCache.Unusable(file.getFileName() + " cannot be read (" + e.getMessage() + ")");
        }
    }

    private static String sha256(Path file) throws WarmCache.Unusable {
        MessageDigest sha = WarmKey.sha256();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new WarmCache.Unusable(file.getFileName() + " cannot be read (" + e.getMessage() + ")");
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
