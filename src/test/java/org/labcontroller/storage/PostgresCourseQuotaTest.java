package org.labcontroller.storage;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The course quotas on the real PostgreSQL server that scripts/postgres-test-db.sh starts. */
@QuarkusTest
@TestProfile(PostgresStorageTest.Postgres.class)
class PostgresCourseQuotaTest extends CourseQuotaContract {
}
