package org.labcontroller.course;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Invitations;
import org.labcontroller.account.Policy;
import org.labcontroller.audit.AuditService;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.ErrorCode;
import org.labcontroller.storage.Database;
import org.labcontroller.storage.Sql;
import org.labcontroller.course.RosterReport.Entry;
import org.labcontroller.course.RosterReport.Outcome;

/**
 * Applies a roster upload to a course: validates the whole file first ({@link Roster}), then, in
 * one transaction, enrols known accounts as students and creates unknown ones with a one-time
 * set-password link. A bad file changes nothing: by default one rejected row refuses the upload
 * (400 naming the row and field); {@code skipInvalid} applies the good rows and reports the rest;
 * {@code dryRun} reports without changing anything.
 */
@ApplicationScoped
public class RosterService {
    @Inject
    CourseService courses;
    @Inject
    Invitations invitations;
    @Inject
    Database db;
    @Inject
    CourseConfig config;
    @Inject
    AuditService audit;
    @Inject
    Clock clock;

    /** Carries the report of a dry run out of its transaction, which it rolls back. */
    private static final class DryRun extends RuntimeException {
        final transient List<Entry> entries;

        DryRun(List<Entry> entries) {
            super(null, null, false, false);
            this.entries = entries;
        }
    }

    public RosterReport upload(Caller caller, String courseId, byte[] body, boolean skipInvalid, boolean dryRun) {
        Course course = courses.require(caller, courseId, "roster").course();
        if (body == null || body.length == 0) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "roster: the file is empty", "roster");
        }
        if (body.length > config.rosterMaxBytes()) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "roster: the file has " + body.length + " bytes; at most "
                    + config.rosterMaxBytes() + " are accepted", "roster");
        }
        Roster.Parsed parsed = Roster.parse(body);
        List<Entry> entries = new ArrayList<>();
        parsed.rejected().forEach(r -> entries.add(new Entry(r.row(), r.username(), Outcome.REJECTED, r.field(), r.reason(), null)));
        if (!skipInvalid && !dryRun && !parsed.rejected().isEmpty()) {
            throw refusal(parsed.rejected().get(0), parsed.rejected().size());
        }
        List<Entry> applied;
        try {
            applied = db.inTransaction(c -> {
                List<Entry> out = apply(c, courseId, parsed.rows(), skipInvalid || dryRun);
                if (dryRun) {
                    throw new DryRun(out);
                }
                return out;
            });
        } catch (org.labcontroller.storage.DataAccessException e) {
            if (Sql.isUniqueViolation(e.sqlException())) {
                throw ApiException.conflict("roster: another upload created one of these accounts at the same time;"
                        + " nothing was changed, upload the file again");
            }
            throw e;
        } catch (DryRun d) {
            entries.addAll(d.entries.stream().map(e -> new Entry(e.row(), e.username(), e.outcome(), e.field(), e.reason(), null)).toList());
            return RosterReport.of(false, entries);
        }
        entries.addAll(applied);
        RosterReport report = RosterReport.of(true, entries);
        audit.courseAction(caller, "course-roster", courseId, course.code(), report.rows() + " rows: " + report.created() + " created, "
                + report.enrolled() + " enrolled, " + report.alreadyEnrolled() + " already enrolled, " + report.rejected() + " rejected");
        return report;
    }

    private List<Entry> apply(java.sql.Connection c, String courseId, List<Roster.Row> rows, boolean tolerate) throws java.sql.SQLException {
        // NOTE: a write to the course's row first, so two uploads to one course queue (row lock on
        // PostgreSQL, the write lock on SQLite) and the second sees what the first enrolled.
        if (Sql.update(c, "UPDATE courses SET updated_at = updated_at WHERE id = ?", courseId) == 0) {
            throw ApiException.notFound("course", courseId);
        }
        Map<String, Policy.Membership> members = new HashMap<>();
        for (String[] m : Sql.list(c, "SELECT account_id, role FROM course_members WHERE course_id = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, courseId)) {
            members.put(m[0], Policy.Membership.valueOf(m[1]));
        }
        long now = clock.millis();
        List<Entry> out = new ArrayList<>();
        for (Roster.Row r : rows) {
            if (r.duplicateOf() > 0) {
                out.add(new Entry(r.number(), r.username(), Outcome.DUPLICATE, "username", "same username as row " + r.duplicateOf(), null));
                continue;
            }
            Optional<String> id = invitations.accountId(c, r.username());
            String link = null;
            Outcome outcome;
            if (id.isEmpty()) {
                Invitations.Invited invited = invitations.invite(c, r.username(), r.displayName(), r.email(), now);
                id = Optional.of(invited.accountId());
                link = "/set-password#token=" + invited.token();
                outcome = Outcome.CREATED;
            } else if (members.get(id.get()) == Policy.Membership.STUDENT) {
                out.add(new Entry(r.number(), r.username(), Outcome.ALREADY_ENROLLED, null, null, null));
                continue;
            } else if (members.get(id.get()) == Policy.Membership.INSTRUCTOR) {
                Roster.Rejection rejection = new Roster.Rejection(r.number(), r.username(), "username", "is an instructor of this course");
                if (!tolerate) {
                    throw refusal(rejection, 1);
                }
                out.add(new Entry(r.number(), r.username(), Outcome.REJECTED, rejection.field(), rejection.reason(), null));
                continue;
            } else {
                outcome = Outcome.ENROLLED;
            }
            Sql.update(c, "INSERT INTO course_members (course_id, account_id, role, created_at) VALUES (?, ?, ?, ?)",
                    courseId, id.get(), Policy.Membership.STUDENT, now);
            members.put(id.get(), Policy.Membership.STUDENT);
            out.add(new Entry(r.number(), r.username(), outcome, null, null, link));
        }
        return out;
    }

    private static ApiException refusal(Roster.Rejection first, int count) {
        return new ApiException(ErrorCode.INVALID_FIELD, "Row " + first.row() + ", " + first.field() + ": " + first.reason()
                + (count > 1 ? " (" + count + " rows rejected)" : "") + ". Nothing was changed; fix the file, or upload with"
                + " skipInvalid=true to apply the other rows (dryRun=true shows the report of every row)",
                "rows[" + first.row() + "]." + first.field());
    }
}
