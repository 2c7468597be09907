package org.labcontroller.lab;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.labcontroller.storage.StorageConfig;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * On PostgreSQL, this replica's one {@code LISTEN lab_changed} connection: every replica's
 * {@code NOTIFY} (this one's too) reaches this replica's live feeds through {@link LabChanges}.
 * The connection is its own, outside the pool, as a listening session must stay open. After each
 * (re)connect it tells every feed to re-read, since changes made while it was away were missed.
 */
@ApplicationScoped
class PgChangeListener {
    private static final Logger LOG = Logger.getLogger(PgChangeListener.class);
    private static final Duration RETRY_MAX = Duration.ofSeconds(30);

    @Inject
    StorageConfig storage;
    @Inject
    LabChanges changes;

    // NOTE: one platform thread owns the listening connection for its whole life; shutdown only
    // sets `stopping`, counts the latch down and closes the connection to wake a blocked read.
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile Connection connection;

    void onStart(@Observes StartupEvent event) {
        if (storage.kind() != StorageConfig.Kind.POSTGRESQL) {
            return;
        }
        Thread.ofPlatform().daemon().name("lab-changes-listener").start(this::run);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping.countDown();
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing only wakes the listener thread
            }
        }
    }

    private void run() {
        Duration wait = Duration.ofMillis(500);
        while (stopping.getCount() > 0) {
            try (Connection c = connect()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + LabChanges.CHANNEL);
                }
                LOG.debug("Listening for lab changes of every replica");
                changes.publish(null);
                wait = Duration.ofMillis(500);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (stopping.getCount() > 0) {
                    PGNotification[] received = pg.getNotifications(5_000);
                    if (received != null) {
                        for (PGNotification n : received) {
                            changes.publish(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (stopping.getCount() == 0) {
                    return;
                }
                LOG.warnf("Lost the lab change listener (%s); reconnecting in %s", e.getMessage(), wait);
            } finally {
                connection = null;
            }
            try {
                if (stopping.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            wait = wait.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : wait.multipliedBy(2);
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", storage.username());
        storage.password().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("ApplicationName", "lab-controller change listener");
        String url = storage.url().orElseThrow(() -> new SQLException("lab.database.url is not set"));
        Connection c = new org.postgresql.Driver().connect(url, props);
        if (c == null) {
            throw new SQLException("Not a PostgreSQL JDBC URL: " + url);
        }
        return c;
    }
}
