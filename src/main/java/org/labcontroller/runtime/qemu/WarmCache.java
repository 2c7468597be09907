package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The saved machine states on disk, one directory per template and {@link WarmKey}: {@code
 * <lineage>-<key>/} holding {@code state.bin} (QEMU's migration stream: the device state),
 * {@code ram.bin} (the guest RAM that restored labs map, {@link WarmRam}), {@code disk.qcow2} (the
 * machine's disk overlay at that moment, when it has a disk), {@code console.log} (the end of its
 * console output, so a restored lab's console shows its prompt) and {@code manifest.properties}.
 *
 * <p>An entry is written in a temporary directory, its manifest ({@link WarmManifest}) last, and
 * renamed into place in one step: a crash mid-save leaves a {@code .tmp-*} directory that
 * no lookup reads and the next start of the runtime removes, never a half entry under a valid name.
 * A lookup checks the sizes every time and the checksums once per entry and controller run (the
 * demo's 256 MB RAM file hashes in 0.2-0.3 s, which a restore should not pay each time); whatever QEMU
 * cannot load is caught by the restore itself. Use is recorded as the modification time of a
 * {@code used} file, from the injected clock, and the least recently used entries go when the
 * cache is over its size limit. Directories are private to the controller's user.
 *
 * <p>NOTE: entries are immutable once renamed into place; removal renames an entry away first, so a
 * concurrent lookup sees it whole or not at all. A restore's QEMU opens {@code state.bin} and maps
 * {@code ram.bin} as it starts, so an entry removed after that does not disturb it.
 */
final class WarmCache {
    private static final Logger LOG = Logger.getLogger(WarmCache.class);
    static final String STATE = "state.bin";
    static final String DISK = "disk.qcow2";
    static final String CONSOLE = "console.log";
    static final String MANIFEST = "manifest.properties";
    private static final String USED = "used";

    /** A complete saved state. */
    record Entry(Path dir, String lineage, String key, boolean hasDisk) {
        Path state() { return dir.resolve(STATE); }
        Path ram() { return dir.resolve(WarmRam.FILE); }
        Path disk() { return dir.resolve(DISK); }
        Path console() { return dir.resolve(CONSOLE); }
    }

    /** A saved state that exists but cannot be used; its message says why, in plain words. */
    static final class Unusable extends Exception {
        Unusable(String message) {
            super(message);
        }
    }

    private final Path root;
    private final long maxBytes;
    private final Clock clock;
    // NOTE: entries whose checksum this run verified; entries never change once in place.
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    WarmCache(Path root, long maxBytes, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    Path root() {
        return root;
    }

    /** The injected clock: when entries were used, and when a failed warm-up may be tried again. */
    Clock clock() {
        return clock;
    }

    /** Removes what crashed saves left behind; called once when the runtime starts. */
    void clearLeftovers() throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()) {
                deleteTree(p);
            }
        }
    }

    /**
     * The complete entry of {@code key}, marked used now; null when there is none.
     *
     * @throws Unusable when an entry is there but incomplete or damaged (the caller discards it)
     */
    Entry find(String lineage, String key) throws Unusable {
        Path dir = root.resolve(lineage + "-" + key);
        if (!Files.isDirectory(dir)) {
            return null;
        }
        Entry entry = new Entry(dir, lineage, key, WarmManifest.check(dir));
        if (!verified.contains(dir.toString())) {
            WarmManifest.verifyChecksum(dir);
            verified.add(dir.toString());
        }
        touch(dir);
        return entry;
    }

    /** A new private temporary directory for an entry being written. */
    Path newTemp() throws IOException {
        Files.createDirectories(root);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        Path tmp = root.resolve(".tmp-" + UUID.randomUUID());
        Files.createDirectory(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return tmp;
    }

    /**
     * Completes the entry written in {@code tmp} (its manifest last) and renames it into place;
     * removes the older entries of the same template and, over the size limit, the least
     * recently used others. Returns the entry, or null when another one of {@code key} won.
     */
    Entry commit(Path tmp, String lineage, String key, String stateSha256) throws IOException {
        boolean hasDisk = WarmManifest.write(tmp, key, stateSha256);
        touch(tmp);
        Path dir = root.resolve(lineage + "-" + key);
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
            deleteTree(tmp);
            return null;
        }
        verified.add(dir.toString()); // hashed as it was written
        for (Path old : list()) {
            String name = old.getFileName().toString();
            if (name.startsWith(lineage + "-") && !old.equals(dir)) {
                remove(old, "the template changed");
            }
        }
        evict(dir);
        return new Entry(dir, lineage, key, hasDisk);
    }

    /** Removes an entry (renamed away first, so no lookup sees it half deleted). */
    void remove(Path entry, String why) {
        try {
            Path away = root.resolve(".tmp-" + UUID.randomUUID());
            Files.move(entry, away, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(away);
            verified.remove(entry.toString());
            LOG.infof("Removed saved machine state %s: %s", entry.getFileName(), why);
        } catch (IOException e) {
            LOG.warnf("Could not remove saved machine state %s: %s", entry.getFileName(), e.getMessage());
        }
    }

    /** Removes least recently used entries, never {@code keep}, until the cache fits its limit. */
    void evict(Path keep) throws IOException {
        record Sized(Path dir, long bytes, FileTime used) {
        }
        List<Sized> all = new ArrayList<>();
        long total = 0;
        for (Path dir : list()) {
            long bytes = sizeOf(dir);
            total += bytes;
            all.add(new Sized(dir, bytes, lastUsed(dir)));
        }
        all.sort(Comparator.comparing(Sized::used));
        for (Sized s : all) {
            if (total <= maxBytes) {
                return;
            }
            if (!s.dir().equals(keep)) {
                remove(s.dir(), "the saved states exceed their size limit and it was the least recently used");
                total -= s.bytes();
            }
        }
    }

    /** The complete entries' directories (not temporary ones). */
    List<Path> list() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }

    private void touch(Path dir) {
        try {
            Path used = dir.resolve(USED);
            if (!Files.exists(used)) {
                Files.createFile(used);
            }
            Files.setLastModifiedTime(used, FileTime.from(clock.instant()));
        } catch (IOException e) {
            LOG.debugf("Cannot record the use of %s: %s", dir.getFileName(), e.getMessage());
        }
    }

    private static FileTime lastUsed(Path dir) {
        try {
            return Files.getLastModifiedTime(dir.resolve(USED));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
