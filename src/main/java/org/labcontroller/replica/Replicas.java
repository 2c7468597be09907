package org.labcontroller.replica;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.labcontroller.storage.Database;
import org.labcontroller.storage.Ids;
import org.labcontroller.storage.Sql;

/**
 * The live controller replicas and which of them serves a lab's stream. KubeVirt accepts one
 * connection per stream of a VM, so all viewers of a lab's console must meet on one replica; with
 * this any replica can take a viewer and relay to the owner, and the ingress needs no affinity.
 *
 * <p>Each replica with an address writes a heartbeat row; the owner of a key is chosen by
 * {@link Rendezvous} from the rows fresher than three heartbeats, the same on every replica.
 */
@ApplicationScoped
public class Replicas {
    private static final Logger LOG = Logger.getLogger(Replicas.class);

    /** A replica's row. */
    public record Peer(String id, String address, long heartbeatAt) implements Rendezvous.Replica {
    }

    private final String self = Ids.newId();
    @Inject
    ReplicaConfig config;
    @Inject
    Database db;
    @Inject
    Clock clock;
    private ScheduledExecutorService beat;
    // NOTE: the live set is read per stream open; it is re-read from the database at most once per
    // half heartbeat, and a stale copy only delays noticing a replica that came or went.
    private volatile List<Peer> cached = List.of();
    private volatile long cachedAt;

    void onStart(@Observes StartupEvent event) {
        if (config.address().isEmpty()) {
            return;
        }
        if (config.secret().filter(s -> s.length() >= 16).isEmpty()) {
            throw new IllegalStateException("lab.replicas.address is set, so lab.replicas.secret must be too (16 characters or more)");
        }
        heartbeat();
        beat = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("replica-heartbeat").factory());
        long every = config.heartbeat().toMillis();
        beat.scheduleWithFixedDelay(this::heartbeatQuietly, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("Replica %s at %s shares lab streams with its peers", self, config.address().get());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (beat != null) {
            beat.shutdownNow();
            db.run(c -> Sql.update(c, "DELETE FROM replicas WHERE id = ?", self));
        }
    }

    /** This replica's id, as the relay header names the sender. */
    public String self() {
        return self;
    }

    /** Whether streams are shared between replicas at all. */
    public boolean enabled() {
        return beat != null;
    }

    /** The replica that serves {@code key}'s stream when it is another one; empty: serve it here. */
    public Optional<Peer> elsewhere(String key) {
        if (!enabled()) {
            return Optional.empty();
        }
        return Rendezvous.owner(key, live()).filter(p -> !p.id().equals(self));
    }

    List<Peer> live() {
        long now = clock.millis();
        if (now - cachedAt > config.heartbeat().toMillis() / 2) {
            long fresh = now - 3 * config.heartbeat().toMillis();
            cached = db.run(c -> Sql.list(c, "SELECT id, address, heartbeat_at FROM replicas WHERE heartbeat_at > ?",
                    rs -> new Peer(rs.getString(1), rs.getString(2), rs.getLong(3)), fresh));
            cachedAt = now;
        }
        return cached;
    }

    private void heartbeatQuietly() {
        try {
            heartbeat();
        } catch (RuntimeException e) {
            LOG.warnf("Replica heartbeat failed (peers stop relaying here after three): %s", e.getMessage());
        }
    }

    private void heartbeat() {
        long now = clock.millis();
        db.run(c -> {
            if (Sql.update(c, "UPDATE replicas SET heartbeat_at = ?, address = ? WHERE id = ?", now, config.address().get(), self) == 0) {
                Sql.update(c, "INSERT INTO replicas (id, address, heartbeat_at) VALUES (?, ?, ?)", self, config.address().get(), now);
            }
            // Rows of replicas gone for long (a crash skips the delete at shutdown).
            return Sql.update(c, "DELETE FROM replicas WHERE heartbeat_at < ?", now - 60 * config.heartbeat().toMillis());
        });
        cachedAt = 0;
    }
}
