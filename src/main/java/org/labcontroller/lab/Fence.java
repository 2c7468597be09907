package org.labcontroller.lab;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import org.labcontroller.storage.Database;
import org.labcontroller.storage.Sql;
import org.labcontroller.storage.StorageConfig;

/**
 * Fences the reconcile loop's writes with a leader epoch kept in the database. A replica that
 * becomes leader {@linkplain #claim claims} a new epoch; every write the loop makes carries the
 * epoch it holds and applies only while that is still the current one. A replica that lost its
 * lease without noticing (a blocked renew, clock skew) thus cannot overwrite what the new leader
 * wrote: its writes match nothing. The token comes from the database itself, the one thing both
 * replicas write through, so no clock or lease timing can make two of them current at once.
 */
@ApplicationScoped
public class Fence {
    /** The condition every fenced statement appends; its one parameter is the writer's epoch. */
    static final String CURRENT = " AND ? = (SELECT epoch FROM controller_fence WHERE id = 1)";

    @Inject
    Database db;

    /** Takes over: a new epoch, newer than any earlier leader's. */
    public long claim() {
        return db.inTransaction(c -> {
            Sql.update(c, "UPDATE controller_fence SET epoch = epoch + 1 WHERE id = 1");
            return Sql.count(c, "SELECT epoch FROM controller_fence WHERE id = 1");
        });
    }

    /**
     * Runs a fenced write. On PostgreSQL the fence row is share-locked first, so a concurrent
     * {@link #claim} waits for the write to finish (or the write sees the new epoch and applies to
     * nothing); on SQLite every write is serialised anyway and the {@link #CURRENT} condition is
     * checked inside the same statement.
     */
    <T> T write(Sql.Work<T> work) {
        if (db.kind() == StorageConfig.Kind.POSTGRESQL) {
            return db.inTransaction(c -> {
                lockShared(c);
                return work.run(c);
            });
        }
        return db.run(work);
    }

    private static void lockShared(Connection c) throws SQLException {
        Sql.count(c, "SELECT epoch FROM controller_fence WHERE id = 1 FOR SHARE");
    }
}
