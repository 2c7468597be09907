package org.labcontroller.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The started controller's data directory and SQLite files, as another user of the machine finds them: closed. */
@QuarkusTest
class DataDirectoryPermissionsTest {
    @ConfigProperty(name = "lab.data-dir")
    String dataDir;

    @Test
    void theDataDirectoryAndTheDatabaseFilesAreReadableByTheControllerOnly() throws IOException {
        Path dir = Path.of(dataDir);
        assertEquals("rwx------", permissions(dir), "the data directory");
        assertEquals("rwx------", permissions(dir.resolve("vms")), "the VM state directory");
        for (String file : List.of("lab.db", "lab.db-wal", "lab.db-shm")) {
            assertEquals("rw-------", permissions(dir.resolve(file)), file);
        }
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
