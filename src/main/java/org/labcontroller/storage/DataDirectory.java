package org.labcontroller.storage;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Keeps the data directory private to the controller's user. It holds the SQLite database (password
 * hashes, token and session digests, templates with their cloud-init), the labs' disks and sockets
 * and the admin password file, so no other user of the machine may list or read it: the directory
 * and the subfolders the controller keeps there ({@code vms}, {@code images}) are 0700, the
 * database files 0600. It runs before the database is opened: a missing database file is created
 * empty with 0600, so SQLite creates its {@code -wal} and {@code -shm} files with the same mode. An
 * installation made before this rule is tightened at the next start, and each change is reported
 * (or that it could not be made: a volume's mount point owned by another user keeps its mode).
 */
final class DataDirectory {
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    /** The default VM state and image directories of the local runtime, under the data directory. */
    static final List<String> SUBDIRECTORIES = List.of("vms", "images");
    /** The SQLite database ({@code quarkus.datasource.jdbc.url} names {@code <data-dir>/lab.db}) and its WAL files. */
    static final List<String> DATABASE_FILES = List.of("lab.db", "lab.db-wal", "lab.db-shm");

    private DataDirectory() {
    }

    /**
     * Creates or tightens {@code dir}, its subfolders and (with {@code sqlite}) the database files.
     * Returns what it changed in existing files, in words for the log; nothing on a file system
     * without POSIX permissions.
     */
    static List<String> secure(Path dir, boolean sqlite) throws IOException {
        List<String> changed = new ArrayList<>();
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return changed;
        }
        directory(dir, changed);
        for (String sub : SUBDIRECTORIES) {
            directory(dir.resolve(sub), changed);
        }
        if (sqlite) {
            Path db = dir.resolve(DATABASE_FILES.get(0));
            if (!Files.exists(db)) {
                Files.createFile(db, PosixFilePermissions.asFileAttribute(FILE));
            }
            for (String name : DATABASE_FILES) {
                Path file = dir.resolve(name);
                if (Files.exists(file)) {
                    restrict(file, FILE, changed);
                }
            }
        }
        return changed;
    }

    private static void directory(Path dir, List<String> changed) throws IOException {
        if (Files.isDirectory(dir)) {
            restrict(dir, DIRECTORY, changed);
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
        // NOTE: the creation mode is masked by the umask; set it exactly.
        Files.setPosixFilePermissions(dir, DIRECTORY);
    }

    private static void restrict(Path path, Set<PosixFilePermission> wanted, List<String> changed) throws IOException {
        Set<PosixFilePermission> was = Files.getPosixFilePermissions(path);
        if (was.equals(wanted)) {
            return;
        }
        String change = path + ": " + PosixFilePermissions.toString(was) + " -> " + PosixFilePermissions.toString(wanted);
        try {
            Files.setPosixFilePermissions(path, wanted);
            changed.add(change);
        } catch (FileSystemException e) {
            // A mount point owned by another user (a Kubernetes volume's root): the files inside stay ours.
            changed.add("not changed, not the owner: " + change);
        }
    }
}
