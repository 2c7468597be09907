package org.labcontroller.storage;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/** The storage contract against the real PostgreSQL server that .ci/run (scripts/postgres-test-db.sh) starts. */
@QuarkusTest
@TestProfile(PostgresStorageTest.Postgres.class)
class PostgresStorageTest extends StorageContract {

    /** Points the application at the test database and empties it first. */
    public static class Postgres implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "lab.database.kind", "postgresql",
                    "lab.database.url", System.getProperty("lab.test.postgres-url", "jdbc:postgresql://localhost:5432/lab_test"),
                    "lab.database.username", "lab",
                    "lab.database.password", "lab",
                    "lab.database.clean-at-start", "true",
                    "quarkus.flyway.pg.clean-disabled", "false");
        }
    }

    @Override
    StorageConfig.Kind expectedKind() {
        return StorageConfig.Kind.POSTGRESQL;
    }
}
