package org.labcontroller.lab;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.labcontroller.storage.Database;
import org.labcontroller.storage.Sql;
import org.labcontroller.storage.StorageConfig;

/**
 * Tells live feeds which lab changed, so they re-read only then instead of polling. Writers
 * ({@link LabRepository}: API requests and the reconcile loop's writes) announce a lab id after
 * their write committed. On SQLite (one process) the announcement goes straight to this replica's
 * subscribers; on PostgreSQL it is a {@code NOTIFY lab_changed, '<id>'}, which every replica's
 * {@link PgChangeListener} (this one's too) hands to its subscribers.
 */
@ApplicationScoped
public class LabChanges {
    static final String CHANNEL = "lab_changed";
    private static final Logger LOG = Logger.getLogger(LabChanges.class);

    @Inject
    Database db;

    // NOTE: subscribers are added at startup and read on every announcement from any thread; a
    // copy-on-write list makes that safe without locking the writers.
    private final List<Consumer<String>> subscribers = new CopyOnWriteArrayList<>();

    /** Announces that a lab was written (created, requested, observed, expired or deleted). Never throws. */
    public void announce(String labId) {
        if (db.kind() == StorageConfig.Kind.POSTGRESQL) {
            try {
                db.run(c -> Sql.one(c, "SELECT pg_notify(?, ?)", rs -> 1, CHANNEL, labId));
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Could not NOTIFY the change of lab %s to other replicas: %s", labId, e.getMessage());
            }
        }
        publish(labId);
    }

    /** Hands a change to this replica's subscribers; {@code null} means any lab may have changed. */
    void publish(String labId) {
        for (Consumer<String> s : subscribers) {
            try {
                s.accept(labId);
            } catch (RuntimeException e) {
                LOG.errorf(e, "A subscriber failed on the change of lab %s", labId);
            }
        }
    }

    void subscribe(Consumer<String> subscriber) {
        subscribers.add(subscriber);
    }
}
