package org.labcontroller.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.labcontroller.account.AccountEvent;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Policy;
import org.labcontroller.storage.Database;
import org.labcontroller.storage.Ids;
import org.labcontroller.storage.Page;
import org.labcontroller.storage.Sql;

/** Writes and reads the audit trail (lab actions, stream sessions, account changes); only admins read it. */
@ApplicationScoped
public class AuditService {
    private static final String COLUMNS = "id, at, actor_id, actor, action, lab_id, address, started_at, bytes_in, bytes_out, detail";

    @Inject
    Database db;
    @Inject
    Policy policy;
    @Inject
    Clock clock;

    /** Records a lab action by a user. */
    public void labAction(Caller caller, String action, String labId, String detail) {
        insert(new AuditEvent(Ids.newId(), clock.instant(), caller.id(), caller.username(), action, labId, null, null, null,
                null, detail));
    }

    /** Records a change to a course (create, edit, delete, members, roster, provision) by a user. */
    public void courseAction(Caller caller, String action, String courseId, String courseCode, String detail) {
        insert(new AuditEvent(Ids.newId(), clock.instant(), caller.id(), caller.username(), action, null, null, null, null,
                null, cut("course " + courseCode + " (" + courseId + ")" + (detail == null ? "" : ": " + detail), 500)));
    }

    /**
     * Records an account change or a failed login that the account feature announced; the actor
     * is the caller, or the attempted username of a failed login.
     */
    void accountEvent(@Observes AccountEvent e) {
        insert(new AuditEvent(Ids.newId(), clock.instant(), e.actorId(), cut(e.actor(), 64), e.action(), null, cut(e.address(), 64),
                null, null, null, cut(e.detail(), 500)));
    }

    /** Records a finished stream session ({@code console} or {@code vnc}). */
    public void stream(Caller caller, String labId, String stream, String address, Instant startedAt, long bytesIn,
            long bytesOut, String detail) {
        insert(new AuditEvent(Ids.newId(), clock.instant(), caller.id(), caller.username(), stream + "-session", labId, address,
                startedAt, bytesIn, bytesOut, detail.length() > 500 ? detail.substring(0, 500) : detail));
    }

    /** Newest first; optionally only one lab's events. */
    public Page<AuditEvent> list(Caller caller, String labId, Page.Request page) {
        policy.requireAdmin(caller);
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (!page.afterId().isEmpty()) {
            where.append(" AND id < ?");
            args.add(page.afterId());
        }
        if (labId != null && !labId.isBlank()) {
            where.append(" AND lab_id = ?");
            args.add(labId);
        }
        args.add(page.fetch());
        List<AuditEvent> rows = db.run(c -> Sql.list(c, "SELECT " + COLUMNS + " FROM audit_events" + where
                + " ORDER BY id DESC LIMIT ?", rs -> new AuditEvent(rs.getString("id"), Instant.ofEpochMilli(rs.getLong("at")),
                rs.getString("actor_id"), rs.getString("actor"), rs.getString("action"), rs.getString("lab_id"),
                rs.getString("address"), instant(Sql.nullableLong(rs, "started_at")), Sql.nullableLong(rs, "bytes_in"),
                Sql.nullableLong(rs, "bytes_out"), rs.getString("detail")), args.toArray()));
        return Page.of(rows, page, AuditEvent::id);
    }

    private void insert(AuditEvent e) {
        db.run(c -> Sql.update(c, "INSERT INTO audit_events (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.id(), e.at().toEpochMilli(), e.actorId(), e.actor(), e.action(), e.labId(), e.address(),
                e.startedAt() == null ? null : e.startedAt().toEpochMilli(), e.bytesIn(), e.bytesOut(), e.detail()));
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
