package org.labcontroller.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory helper: creates private, tightens what an older install left open, says what it changed. */
class DataDirectoryTest {
    @TempDir
    Path tmp;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aNewDataDirectoryIsCreatedPrivateWithAnEmptyPrivateDatabaseFile() throws IOException {
        Path dir = tmp.resolve("a/data");
        assertTrue(DataDirectory.secure(dir, true).isEmpty(), "nothing existing was changed");
        assertEquals("rwx------", mode(dir));
        assertEquals("rwx------", mode(dir.resolve("vms")));
        assertEquals("rwx------", mode(dir.resolve("images")));
        assertEquals("rw-------", mode(dir.resolve("lab.db")));
        assertEquals(0, Files.size(dir.resolve("lab.db")));
    }

    @Test
    void anExistingWorldReadableInstallIsTightenedAndEachChangeIsReported() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path vms = Files.createDirectory(dir.resolve("vms"));
        Files.setPosixFilePermissions(vms, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String f : List.of("lab.db", "lab.db-wal", "lab.db-shm")) {
            Files.writeString(dir.resolve(f), "x");
            Files.setPosixFilePermissions(dir.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
        }
        List<String> changes = DataDirectory.secure(dir, true);
        assertEquals(5, changes.size(), changes.toString());
        assertTrue(changes.contains(dir + ": rwxr-xr-x -> rwx------"), changes.toString());
        assertTrue(changes.contains(dir.resolve("lab.db-wal") + ": rw-r--r-- -> rw-------"), changes.toString());
        assertEquals("rwx------", mode(dir));
        assertEquals("rwx------", mode(vms));
        for (String f : List.of("lab.db", "lab.db-wal", "lab.db-shm")) {
            assertEquals("rw-------", mode(dir.resolve(f)), f);
            assertEquals("x", Files.readString(dir.resolve(f)), "contents are kept");
        }
        assertTrue(DataDirectory.secure(dir, true).isEmpty(), "a second start changes nothing");
    }

    @Test
    void withPostgresqlNoDatabaseFileIsCreated() throws IOException {
        Path dir = tmp.resolve("data");
        DataDirectory.secure(dir, false);
        assertEquals("rwx------", mode(dir));
        assertFalse(Files.exists(dir.resolve("lab.db")));
    }
}
