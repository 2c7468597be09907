package org.labcontroller.storage;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SqliteStorageTest extends StorageContract {
    @Override
    StorageConfig.Kind expectedKind() {
        return StorageConfig.Kind.SQLITE;
    }
}
