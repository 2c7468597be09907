package org.labcontroller.lab;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.labcontroller.account.Caller;
import org.labcontroller.audit.AuditService;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.storage.Database;
import org.labcontroller.storage.Sql;

/**
 * Who watches or assists in a lab now, so its owner is told in their console or screen view. A
 * row per open stream session lives in the database ({@code lab_viewers}), not in one replica's
 * memory: the student's live feed may be served by another replica than the watcher's stream.
 * Joining and leaving are audited and announced as a change of the lab, which wakes the feeds.
 */
@ApplicationScoped
public class LabViewers {
    private static final String COLUMNS = "v.lab_id, v.username, v.capacity, v.mode, v.stream, v.since";

    @Inject
    Database db;
    @Inject
    LabChanges changes;
    @Inject
    AuditService audit;
    @Inject
    FeedConfig config;
    @Inject
    Clock clock;

    /** Someone other than the owner in a lab's stream: shown as "username (capacity) is watching your console since". */
    public record Viewer(String labId, String username, String capacity, String mode, String stream, Instant since) {
    }

    /** A watcher's or assistant's stream session opened: recorded, audited and announced. */
    public void joined(String sessionId, Caller caller, String labId, LabStreams.Grant grant, StreamKind kind) {
        long now = clock.millis();
        db.run(c -> Sql.update(c, "INSERT INTO lab_viewers (id, lab_id, account_id, username, capacity, mode, stream, since, seen_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", sessionId, labId, caller.id(), caller.username(), grant.capacity(),
                grant.mode().label(), stream(kind), now, now));
        audit.labAction(caller, "stream-join", labId, grant.mode().label() + " " + stream(kind) + " as " + grant.capacity());
        changes.announce(labId);
    }

    /** The session ended, for whatever reason: removed, audited and announced. */
    public void left(String sessionId, Caller caller, String labId, LabStreams.Grant grant, StreamKind kind) {
        db.run(c -> Sql.update(c, "DELETE FROM lab_viewers WHERE id = ?", sessionId));
        audit.labAction(caller, "stream-leave", labId, grant.mode().label() + " " + stream(kind) + " as " + grant.capacity());
        changes.announce(labId);
    }

    /**
     * This replica's sessions are still open (called at every stream re-check); rows no replica
     * renewed (a replica that died with streams open) are swept meanwhile. Nothing open, no query.
     */
    public void touch(Collection<String> sessionIds) {
        if (sessionIds.isEmpty()) {
            return;
        }
        long now = clock.millis();
        String marks = String.join(", ", java.util.Collections.nCopies(sessionIds.size(), "?"));
        Object[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of(now), sessionIds.stream()).toArray();
        db.run(c -> Sql.update(c, "UPDATE lab_viewers SET seen_at = ? WHERE id IN (" + marks + ")", args));
        sweep();
    }

    /** At start: rows left by this or another replica that stopped with streams open, once stale, go. */
    void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        sweep();
    }

    private void sweep() {
        long stale = clock.millis() - 3 * config.recheckInterval().toMillis();
        db.run(c -> Sql.update(c, "DELETE FROM lab_viewers WHERE seen_at <= ?", stale));
    }

    /** Who is in the streams of the labs an account owns, oldest first; rows of a replica that died are left out. */
    public List<Viewer> ofOwner(String ownerId) {
        long fresh = clock.millis() - 3 * config.recheckInterval().toMillis();
        return db.run(c -> Sql.list(c, "SELECT " + COLUMNS + " FROM lab_viewers v JOIN labs l ON l.id = v.lab_id"
                + " WHERE l.owner_id = ? AND v.seen_at > ? ORDER BY v.since, v.id", rs -> new Viewer(rs.getString("lab_id"),
                rs.getString("username"), rs.getString("capacity"), rs.getString("mode"), rs.getString("stream"),
                Instant.ofEpochMilli(rs.getLong("since"))), ownerId, fresh));
    }

    private static String stream(StreamKind kind) {
        return kind == StreamKind.CONSOLE ? "console" : "screen";
    }
}
