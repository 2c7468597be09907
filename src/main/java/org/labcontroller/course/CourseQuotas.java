package org.labcontroller.course;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.labcontroller.problem.ApiException;
import org.labcontroller.storage.Sql;
import org.labcontroller.template.Template;

/**
 * The check a lab of a course must pass, run inside the lab insert's transaction so that parallel
 * starts never exceed the course's quotas: the window, the offered template, the membership, labs
 * per student, the course's vCPUs and memory, and the student's lab-hours.
 *
 * <p>Lab-hours of a student in a course: the sum, over every lab the student had in the course
 * (deleted ones included, from {@code lab_usage}), of the time from its creation until its deletion
 * was asked for, it expired, or now, whichever came first. Stopped time counts: a stopped lab keeps
 * its disk and its share of the course's vCPUs and memory. The limit is checked when a lab starts;
 * a lab started within the budget runs on until it is deleted or expires.
 */
final class CourseQuotas {
    private static final String DELETED = "DELETED";

    private CourseQuotas() {
    }

    /** How a check ends when the student already has a lab of the template: refused (a start) or skipped (provision). */
    enum Mode { START, PROVISION }

    /**
     * Checks that {@code ownerId} may have one more lab of {@code template} in the course at
     * {@code now}; throws a 409 naming the limit otherwise. Answers false only in PROVISION mode,
     * when the student has a lab of the template already.
     */
    static boolean check(Connection c, String courseId, String ownerId, Template template, Instant now, Mode mode) throws SQLException {
        // NOTE: a write first: on PostgreSQL it takes the course row's lock, which queues every other
        // start in the course until this transaction ends; on SQLite it takes the database's write
        // lock. Each check then counts the labs that the starts before it inserted.
        if (Sql.update(c, "UPDATE courses SET updated_at = updated_at WHERE id = ?", courseId) == 0) {
            throw ApiException.notFound("course", courseId);
        }
        Course course = Sql.one(c, "SELECT * FROM courses WHERE id = ?", CourseRepository::map, courseId).orElseThrow();
        Course.Quotas q = course.quotas();
        if (mode == Mode.START && !course.openAt(now)) {
            throw ApiException.conflict(course.closedReason(now));
        }
        if (Sql.count(c, "SELECT COUNT(*) FROM course_templates WHERE course_id = ? AND template_id = ?", courseId, template.id()) == 0) {
            throw ApiException.conflict("The course " + course.code() + " no longer offers the template '" + template.name() + "'");
        }
        if (Sql.count(c, "SELECT COUNT(*) FROM course_members WHERE course_id = ? AND account_id = ? AND role = 'STUDENT'",
                courseId, ownerId) == 0) {
            throw ApiException.conflict("Not a student of the course " + course.code());
        }
        if (mode == Mode.PROVISION && Sql.count(c, "SELECT COUNT(*) FROM labs WHERE course_id = ? AND owner_id = ? AND template_id = ?"
                + " AND desired <> ?", courseId, ownerId, template.id(), DELETED) > 0) {
            return false;
        }
        long held = Sql.count(c, "SELECT COUNT(*) FROM labs WHERE course_id = ? AND owner_id = ? AND desired <> ?", courseId, ownerId, DELETED);
        if (q.maxLabsPerStudent() != null && held >= q.maxLabsPerStudent()) {
            throw ApiException.conflict("Labs per student in " + course.code() + " are limited to " + q.maxLabsPerStudent()
                    + " and " + held + " exist; delete one first");
        }
        List<long[]> used = Sql.list(c, "SELECT COALESCE(SUM(t.cpus), 0), COALESCE(SUM(t.memory_mb), 0) FROM labs l"
                + " JOIN templates t ON t.id = l.template_id WHERE l.course_id = ? AND l.desired <> ?",
                rs -> new long[] {rs.getLong(1), rs.getLong(2)}, courseId, DELETED);
        if (q.maxVcpus() != null && used.get(0)[0] + template.cpus() > q.maxVcpus()) {
            throw ApiException.conflict("The course " + course.code() + " may use " + q.maxVcpus() + " vCPUs and its labs hold "
                    + used.get(0)[0] + "; this lab needs " + template.cpus());
        }
        if (q.maxMemoryMb() != null && used.get(0)[1] + template.memoryMb() > q.maxMemoryMb()) {
            throw ApiException.conflict("The course " + course.code() + " may use " + q.maxMemoryMb() + " MB of memory and its labs hold "
                    + used.get(0)[1] + " MB; this lab needs " + template.memoryMb() + " MB");
        }
        if (q.maxLabHoursPerStudent() != null) {
            long usedMillis = labMillis(c, courseId, ownerId, now.toEpochMilli());
            if (usedMillis >= q.maxLabHoursPerStudent() * 3_600_000L) {
                throw ApiException.conflict("The " + q.maxLabHoursPerStudent() + " lab-hours per student of " + course.code()
                        + " are used up");
            }
        }
        return true;
    }

    /** The student's lab time in the course so far, in milliseconds (see the class comment). */
    static long labMillis(Connection c, String courseId, String ownerId, long now) throws SQLException {
        long total = 0;
        for (long[] u : Sql.list(c, "SELECT created_at, expires_at, ended_at FROM lab_usage WHERE course_id = ? AND owner_id = ?",
                rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getObject(3) == null ? Long.MAX_VALUE : rs.getLong(3)},
                courseId, ownerId)) {
            total += Math.max(0, Math.min(Math.min(u[2], u[1]), now) - u[0]);
        }
        return total;
    }
}
