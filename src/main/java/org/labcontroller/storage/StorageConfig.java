package org.labcontroller.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Where the controller keeps its state: the embedded SQLite file or a PostgreSQL server. */
@ConfigMapping(prefix = "lab.database")
public interface StorageConfig {

    /** {@code sqlite} (embedded, under the data directory) or {@code postgresql}. */
    @WithDefault("sqlite")
    Kind kind();

    /** JDBC URL of the PostgreSQL database, e.g. {@code jdbc:postgresql://db:5432/lab}. */
    Optional<String> url();

    /** PostgreSQL user name. */
    @WithDefault("lab")
    String username();

    /** PostgreSQL password. */
    Optional<String> password();

    /** Drops every table before migrating: for tests against a shared server only; destroys all data. */
    @WithDefault("false")
    boolean cleanAtStart();

    /** The kinds of database the same migrations and SQL run on. */
    enum Kind { SQLITE, POSTGRESQL }
}
