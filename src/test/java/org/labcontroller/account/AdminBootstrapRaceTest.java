package org.labcontroller.account;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api;

/**
 * Two replicas starting on one empty database both try to create the admin; the one that loses
 * the race carries on starting (no exception) and writes no password of its own.
 */
@QuarkusTest
class AdminBootstrapRaceTest {
    @Inject
    AdminBootstrap bootstrap;
    @ConfigProperty(name = "lab.data-dir")
    String dataDir;

    @Test
    void theReplicaThatLosesTheRaceForTheAdminCarriesOn() throws Exception {
        Path file = Path.of(dataDir, "admin-password");
        boolean hadFile = Files.exists(file);
        assertDoesNotThrow(bootstrap::createFirstAdmin, "the admin exists already: as if another replica won");
        assertEquals(hadFile, Files.exists(file), "no password file from the loser");
        Api.admin(); // the winner's password still works
    }
}
