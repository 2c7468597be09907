package org.labcontroller.storage;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.flyway.FlywayDataSource;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * The one entry to the database. Both datasources are declared at build time (SQLite as the
 * default, PostgreSQL as {@code pg}) so the kind can be chosen at run time with
 * {@code lab.database.kind}; this bean picks the chosen one, creates the data directory (private to
 * the controller's user, see {@link DataDirectory}) and runs the shared Flyway migrations before
 * anything else touches the tables.
 */
@Startup
@ApplicationScoped
public class Database {
    private static final Logger LOG = Logger.getLogger(Database.class);

    @Inject
    StorageConfig config;
    @ConfigProperty(name = "lab.data-dir")
    String dataDir;
    @Inject
    InjectableInstance<AgroalDataSource> sqlite;
    @Inject
    @DataSource("pg")
    InjectableInstance<AgroalDataSource> postgres;
    @Inject
    InjectableInstance<Flyway> sqliteFlyway;
    @Inject
    @FlywayDataSource("pg")
    InjectableInstance<Flyway> postgresFlyway;

    private AgroalDataSource dataSource;

    @PostConstruct
    void migrate() {
        boolean pg = config.kind() == StorageConfig.Kind.POSTGRESQL;
        try {
            for (String change : DataDirectory.secure(java.nio.file.Path.of(dataDir), !pg)) {
                LOG.warnf("Closed to other users: %s", change);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot create or secure the data directory " + dataDir, e);
        }
        dataSource = pg ? postgres.get() : sqlite.get();
        Flyway flyway = pg ? postgresFlyway.get() : sqliteFlyway.get();
        if (config.cleanAtStart()) {
            LOG.warn("lab.database.clean-at-start is set: dropping every table");
            flyway.clean();
        }
        var result = flyway.migrate();
        LOG.infof("Database %s ready (%d migrations applied, schema version %s)", config.kind(),
                result.migrationsExecuted, flyway.info().current().getVersion());
    }

    public StorageConfig.Kind kind() {
        return config.kind();
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Runs work inside one transaction, committing on success and rolling back on any failure. */
    public <T> T inTransaction(Sql.Work<T> work) {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw Sql.wrap(e);
        }
    }

    /** Runs work on one auto-commit connection. */
    public <T> T run(Sql.Work<T> work) {
        try (Connection c = connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw Sql.wrap(e);
        }
    }

    /** Whether the database answers now; feeds readiness. */
    public boolean healthy() {
        try (Connection c = connection(); var s = c.createStatement()) {
            return s.execute("SELECT 1");
        } catch (SQLException e) {
            LOG.debugf("Database check failed: %s", e.getMessage());
            return false;
        }
    }
}
