package org.labcontroller.lab;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.labcontroller.account.Policy;
import org.labcontroller.storage.Database;
import org.labcontroller.storage.Page;
import org.labcontroller.storage.Sql;

/**
 * Stores labs. The API writes only the desired columns (bumping {@code desired_version}); the
 * reconcile loop writes only the observed ones, and only while the desired version it acted on is
 * still current, so neither overwrites the other's newer decision.
 */
@ApplicationScoped
public class LabRepository implements LabStore {
    private static final String SELECT = "SELECT l.id, l.owner_id, a.username, l.template_id, t.name AS template_name,"
            + " l.desired, l.desired_version, l.restart_generation, l.restart_observed, l.state, l.state_reason,"
            + " l.state_changed_at, l.created_at, l.started_at, l.expires_at, l.boot_started_at, t.readiness_timeout_seconds,"
            + " l.course_id"
            + " FROM labs l JOIN accounts a ON a.id = l.owner_id JOIN templates t ON t.id = l.template_id";

    @Inject
    Database db;
    @Inject
    Fence fence;
    @Inject
    LabChanges changes;
    @Inject
    ResetRepository resets;

    /**
     * Inserts a lab outside any course unless its owner holds {@code quota} such labs already; false
     * when over quota. The owner's account row is updated first, inside the transaction, so
     * concurrent creates of one owner queue on that row lock (PostgreSQL) or on the write lock taken
     * by that first write (SQLite) and each counts what the ones before it inserted. Labs of a course
     * count only against the course's quotas ({@link #insertGuarded}).
     */
    public boolean insertWithinQuota(String id, String ownerId, String templateId, long now, long expiresAt, long quota) {
        return db.inTransaction(c -> {
            Sql.update(c, "UPDATE accounts SET updated_at = updated_at WHERE id = ?", ownerId);
            long held = Sql.count(c, "SELECT COUNT(*) FROM labs WHERE owner_id = ? AND desired <> ? AND course_id IS NULL",
                    ownerId, Desired.DELETED);
            if (held >= quota) {
                return false;
            }
            insert(c, id, ownerId, templateId, null, now, expiresAt);
            return true;
        }) && announced(id, true);
    }

    /**
     * Inserts a lab of a course when {@code guard}, run first in the same transaction, answers true;
     * the guard locks what it counts (the course's row) and throws to refuse with a reason.
     * NOTE: the guard's first statement must be a write, so that on SQLite the write lock is taken
     * before anything is read (no stale snapshot) and on PostgreSQL a row lock queues the others.
     */
    public boolean insertGuarded(String id, String ownerId, String templateId, String courseId, long now, long expiresAt,
            Sql.Work<Boolean> guard) {
        return db.inTransaction(c -> {
            if (!guard.run(c)) {
                return false;
            }
            insert(c, id, ownerId, templateId, courseId, now, expiresAt);
            return true;
        }) && announced(id, true);
    }

    private static void insert(java.sql.Connection c, String id, String ownerId, String templateId, String courseId, long now,
            long expiresAt) throws SQLException {
        Sql.update(c, "INSERT INTO labs (id, owner_id, template_id, course_id, desired, desired_version, restart_generation,"
                + " restart_observed, state, state_changed_at, created_at, expires_at) VALUES (?, ?, ?, ?, ?, 1, 0, 0, ?, ?, ?, ?)",
                id, ownerId, templateId, courseId, Desired.RUNNING, LabState.PENDING, now, now, expiresAt);
        Sql.update(c, "INSERT INTO lab_usage (lab_id, owner_id, course_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                id, ownerId, courseId, now, expiresAt);
    }

    /** The labs of a course, optionally only one owner's, in id order. */
    public List<Lab> pageOfCourse(String courseId, String ownerId, Page.Request page) {
        List<Object> args = new ArrayList<>(List.of(page.afterId(), courseId));
        String where = " WHERE l.id > ? AND l.course_id = ?" + (ownerId == null ? "" : " AND l.owner_id = ?");
        if (ownerId != null) {
            args.add(ownerId);
        }
        args.add(page.fetch());
        return db.run(c -> Sql.list(c, SELECT + where + " ORDER BY l.id LIMIT ?", LabRepository::map, args.toArray()));
    }

    /** A lab whatever its owner, for the reconcile loop, which reads each lab fresh before acting. */
    @Override
    public Optional<Lab> find(String id) {
        return db.run(c -> Sql.one(c, SELECT + " WHERE l.id = ?", LabRepository::map, id));
    }

    public Optional<Lab> find(String id, Policy.Scope scope) {
        List<Object> args = new ArrayList<>(List.of(id));
        String where = " WHERE l.id = ?" + scopeSql(scope, args);
        return db.run(c -> Sql.one(c, SELECT + where, LabRepository::map, args.toArray()));
    }

    public List<Lab> page(Policy.Scope scope, Page.Request page) {
        List<Object> args = new ArrayList<>(List.of(page.afterId()));
        String where = " WHERE l.id > ?" + scopeSql(scope, args);
        args.add(page.fetch());
        return db.run(c -> Sql.list(c, SELECT + where + " ORDER BY l.id LIMIT ?", LabRepository::map, args.toArray()));
    }

    /** Every lab, for a resync of the reconcile loop. */
    @Override
    public List<Lab> all() {
        return db.run(c -> Sql.list(c, SELECT, LabRepository::map));
    }

    /** When a lab of each template last started (its creation or its latest boot), for the warm pools. */
    public java.util.Map<String, java.time.Instant> lastStarts() {
        return db.run(c -> Sql.list(c, "SELECT template_id, MAX(CASE WHEN boot_started_at > created_at THEN boot_started_at"
                + " ELSE created_at END) FROM labs GROUP BY template_id",
                rs -> java.util.Map.entry(rs.getString(1), java.time.Instant.ofEpochMilli(rs.getLong(2)))))
                .stream().collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue));
    }

    /** Records a user's request: the new desired state and the state shown until the loop observes. */
    public void request(String id, Desired desired, LabState shown, boolean restart, long now) {
        announced(id, db.inTransaction(c -> {
            int n = Sql.update(c, "UPDATE labs SET desired = ?, desired_version = desired_version + 1,"
                    + " restart_generation = restart_generation + ?, state = ?, state_reason = NULL, state_changed_at = ?"
                    + " WHERE id = ? AND desired <> ?", desired, restart ? 1 : 0, shown, now, id, Desired.DELETED);
            if (n > 0 && desired == Desired.DELETED) {
                Sql.update(c, "UPDATE lab_usage SET ended_at = ? WHERE lab_id = ? AND ended_at IS NULL", now, id);
            }
            return n;
        }) > 0);
    }

    /**
     * The loop's record of what it observed, written by the leader of {@code epoch}; ignored when the
     * user changed the lab since the loop read it, or when a newer leader has taken over.
     */
    @Override
    public boolean observe(Lab lab, LabState state, String reason, Long startedAt, int restartObserved, long now, long epoch) {
        long changedAt = state == lab.state() ? lab.stateChangedAt().toEpochMilli() : now;
        return announced(lab.id(), fence.write(c -> Sql.update(c, "UPDATE labs SET state = ?, state_reason = ?, state_changed_at = ?,"
                + " started_at = ?, restart_observed = ?, epoch = ? WHERE id = ? AND desired_version = ?" + Fence.CURRENT, state, reason,
                changedAt, startedAt, restartObserved, epoch, lab.id(), lab.desiredVersion(), epoch)) > 0);
    }

    /** The loop's record that it starts or restarts the lab's machine now (the readiness deadline counts from it). */
    @Override
    public boolean booting(Lab lab, long now, long epoch) {
        return announced(lab.id(), fence.write(c -> Sql.update(c, "UPDATE labs SET boot_started_at = ?, epoch = ?"
                + " WHERE id = ? AND desired_version = ?" + Fence.CURRENT, now, epoch, lab.id(), lab.desiredVersion(), epoch)) > 0);
    }

    /** Expiry is the one desired change the loop makes, as the template's lifetime demands. */
    @Override
    public boolean expire(Lab lab, long now, long epoch) {
        return announced(lab.id(), fence.write(c -> Sql.update(c, "UPDATE labs SET desired = ?, desired_version = desired_version + 1,"
                + " state = ?, state_reason = ?, state_changed_at = ?, epoch = ? WHERE id = ? AND desired_version = ?" + Fence.CURRENT,
                Desired.DELETED, LabState.DELETING, "Its lifetime ended", now, epoch, lab.id(), lab.desiredVersion(), epoch)) > 0);
    }

    /**
     * A guest that shut itself down, recorded as if its user had stopped the lab: the desired state
     * and its version change as in {@link #request}, so the loop does not start the machine again.
     */
    // NOTE: conditional on the desired version the loop read: a request that lands between the
    // loop's read and this write bumped it, so this changes nothing and the user's request wins.
    @Override
    public boolean poweredOff(Lab lab, String reason, long now, long epoch) {
        return announced(lab.id(), fence.write(c -> Sql.update(c, "UPDATE labs SET desired = ?, desired_version = desired_version + 1,"
                + " state = ?, state_reason = ?, state_changed_at = ?, epoch = ? WHERE id = ? AND desired_version = ?" + Fence.CURRENT,
                Desired.STOPPED, LabState.STOPPED, reason, now, epoch, lab.id(), lab.desiredVersion(), epoch)) > 0);
    }

    /** Removes a lab row once its runtime resources are gone. */
    @Override
    public boolean delete(String id, long epoch) {
        return announced(id, fence.write(c -> Sql.update(c, "DELETE FROM labs WHERE id = ? AND desired = ?" + Fence.CURRENT,
                id, Desired.DELETED, epoch)) > 0);
    }

    @Override
    public Optional<Integer> pendingReset(String id) {
        return resets.pending(id);
    }

    @Override
    public boolean resetApplied(String id, int generation, long epoch) {
        return announced(id, resets.applied(id, generation, epoch));
    }

    /** Announces a lab's write to the live feeds once it committed; answers whether it was written. */
    private boolean announced(String id, boolean written) {
        if (written) {
            changes.announce(id);
        }
        return written;
    }

    /** Whether a lab of this owner (and of this template owner, looked up only if needed) is in the scope, as scopeSql reads it. */
    static boolean inScope(Policy.Scope scope, String ownerId, java.util.function.Supplier<String> templateOwnerId) {
        if (scope.all() || scope.ownerId().equals(ownerId)) {
            return true;
        }
        return scope.templateOwnerId() != null && scope.templateOwnerId().equals(templateOwnerId.get());
    }

    private static String scopeSql(Policy.Scope scope, List<Object> args) {
        if (scope.all()) {
            return "";
        }
        args.add(scope.ownerId());
        if (scope.templateOwnerId() == null) {
            return " AND l.owner_id = ?";
        }
        args.add(scope.templateOwnerId());
        args.add(scope.templateOwnerId());
        return " AND (l.owner_id = ? OR t.owner_id = ? OR l.course_id IN"
                + " (SELECT m.course_id FROM course_members m WHERE m.account_id = ? AND m.role = 'INSTRUCTOR'))";
    }

    private static Lab map(ResultSet rs) throws SQLException {
        Long started = Sql.nullableLong(rs, "started_at");
        Long booted = Sql.nullableLong(rs, "boot_started_at");
        return new Lab(rs.getString("id"), rs.getString("owner_id"), rs.getString("username"), rs.getString("template_id"),
                rs.getString("template_name"), Desired.valueOf(rs.getString("desired")), rs.getInt("desired_version"),
                rs.getInt("restart_generation"), rs.getInt("restart_observed"), LabState.valueOf(rs.getString("state")),
                rs.getString("state_reason"), Instant.ofEpochMilli(rs.getLong("state_changed_at")),
                Instant.ofEpochMilli(rs.getLong("created_at")), started == null ? null : Instant.ofEpochMilli(started),
                Instant.ofEpochMilli(rs.getLong("expires_at")), booted == null ? null : Instant.ofEpochMilli(booted),
                rs.getInt("readiness_timeout_seconds"), rs.getString("course_id"));
    }
}
