package org.labcontroller.storage;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SqliteAccountInvariantsTest extends AccountInvariantsContract {
}
