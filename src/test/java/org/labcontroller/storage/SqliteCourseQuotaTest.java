package org.labcontroller.storage;

import io.quarkus.test.junit.QuarkusTest;

/** The course quotas on SQLite. */
@QuarkusTest
class SqliteCourseQuotaTest extends CourseQuotaContract {
}
