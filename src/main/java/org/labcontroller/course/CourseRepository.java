package org.labcontroller.course;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
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

/** Stores courses, the templates they offer and who is in them. Reads are filtered by the caller's course scope. */
@ApplicationScoped
public class CourseRepository {
    private static final String COLUMNS = "id, name, code, opens_at, closes_at, max_labs_per_student, max_vcpus, max_memory_mb,"
            + " max_lab_hours_per_student, created_at, updated_at";

    @Inject
    Database db;

    /** Inserts a course with the templates it offers and, when given, its first instructor, in one transaction. */
    public void insert(Course c, String instructorId, List<String> templateIds) {
        db.inTransaction(conn -> {
            Course.Quotas q = c.quotas();
            Sql.update(conn, "INSERT INTO courses (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", c.id(), c.name(), c.code(),
                    millis(c.opensAt()), millis(c.closesAt()), q.maxLabsPerStudent(), q.maxVcpus(), q.maxMemoryMb(),
                    q.maxLabHoursPerStudent(), c.createdAt().toEpochMilli(), c.updatedAt().toEpochMilli());
            if (instructorId != null) {
                Sql.update(conn, "INSERT INTO course_members (course_id, account_id, role, created_at) VALUES (?, ?, ?, ?)",
                        c.id(), instructorId, Policy.Membership.INSTRUCTOR, c.createdAt().toEpochMilli());
            }
            setTemplates(conn, c.id(), templateIds);
            return null;
        });
    }

    /** Replaces a course's fields and templates; false when it is gone. */
    public boolean update(Course c, List<String> templateIds) {
        return db.inTransaction(conn -> {
            Course.Quotas q = c.quotas();
            int n = Sql.update(conn, "UPDATE courses SET name = ?, code = ?, opens_at = ?, closes_at = ?, max_labs_per_student = ?,"
                    + " max_vcpus = ?, max_memory_mb = ?, max_lab_hours_per_student = ?, updated_at = ? WHERE id = ?", c.name(), c.code(),
                    millis(c.opensAt()), millis(c.closesAt()), q.maxLabsPerStudent(), q.maxVcpus(), q.maxMemoryMb(),
                    q.maxLabHoursPerStudent(), c.updatedAt().toEpochMilli(), c.id());
            if (n > 0) {
                Sql.update(conn, "DELETE FROM course_templates WHERE course_id = ?", c.id());
                setTemplates(conn, c.id(), templateIds);
            }
            return n > 0;
        });
    }

    private static void setTemplates(Connection conn, String courseId, List<String> templateIds) throws SQLException {
        for (String t : templateIds) {
            Sql.update(conn, "INSERT INTO course_templates (course_id, template_id) VALUES (?, ?)", courseId, t);
        }
    }

    /** Deletes a course without labs; memberships and template links go with it. */
    public boolean delete(String id) {
        return db.run(c -> Sql.update(c, "DELETE FROM courses WHERE id = ?", id)) > 0;
    }

    /** Labs of the course, including those being deleted (their rows still point at it). */
    public long labCount(String id) {
        return db.run(c -> Sql.count(c, "SELECT COUNT(*) FROM labs WHERE course_id = ?", id));
    }

    public Optional<Course> find(String id, Policy.CourseScope scope) {
        List<Object> args = new ArrayList<>(List.of(id));
        String where = " WHERE id = ?" + scopeSql(scope, args);
        return db.run(c -> Sql.one(c, "SELECT " + COLUMNS + " FROM courses" + where, CourseRepository::map, args.toArray()));
    }

    public List<Course> page(Policy.CourseScope scope, Page.Request page) {
        List<Object> args = new ArrayList<>(List.of(page.afterId()));
        String where = " WHERE id > ?" + scopeSql(scope, args);
        args.add(page.fetch());
        return db.run(c -> Sql.list(c, "SELECT " + COLUMNS + " FROM courses" + where + " ORDER BY id LIMIT ?",
                CourseRepository::map, args.toArray()));
    }

    private static String scopeSql(Policy.CourseScope scope, List<Object> args) {
        if (scope.all()) {
            return "";
        }
        args.add(scope.memberId());
        return " AND id IN (SELECT course_id FROM course_members WHERE account_id = ?)";
    }

    public Policy.Membership membership(String courseId, String accountId) {
        return db.run(c -> Sql.one(c, "SELECT role FROM course_members WHERE course_id = ? AND account_id = ?",
                rs -> Policy.Membership.valueOf(rs.getString(1)), courseId, accountId)).orElse(Policy.Membership.NONE);
    }

    public List<String> templateIds(String courseId) {
        return db.run(c -> Sql.list(c, "SELECT template_id FROM course_templates WHERE course_id = ? ORDER BY template_id",
                rs -> rs.getString(1), courseId));
    }

    /** How many members the course has in a role. */
    /** The templates of the courses whose window opens in [{@code from}, {@code to}] and is open after {@code now}. */
    public java.util.Set<String> templatesOpening(java.time.Instant from, java.time.Instant to, java.time.Instant now) {
        return new java.util.HashSet<>(db.run(c -> Sql.list(c, "SELECT DISTINCT t.template_id FROM course_templates t"
                + " JOIN courses c ON c.id = t.course_id WHERE c.opens_at >= ? AND c.opens_at <= ?"
                + " AND (c.closes_at IS NULL OR c.closes_at > ?)", rs -> rs.getString(1), from.toEpochMilli(), to.toEpochMilli(),
                now.toEpochMilli())));
    }

    public long memberCount(String courseId, Policy.Membership role) {
        return db.run(c -> Sql.count(c, "SELECT COUNT(*) FROM course_members WHERE course_id = ? AND role = ?", courseId, role));
    }

    /** A member of a course, with the roster's name and email when the account has them. */
    public record Member(String accountId, String username, String displayName, String email, Policy.Membership role) {
    }

    /** Every student of a course, read page by page (a roster of thousands is never one query's result). */
    List<Member> allStudents(String courseId) {
        List<Member> all = new ArrayList<>();
        String cursor = null;
        do {
            Page.Request req = Page.Request.of(Page.MAX_LIMIT, cursor);
            Page<Member> page = Page.of(members(courseId, Policy.Membership.STUDENT, req), req, Member::accountId);
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    public List<Member> members(String courseId, Policy.Membership role, Page.Request page) {
        String byRole = role == null ? "" : " AND m.role = ?";
        List<Object> args = new ArrayList<>(List.of(courseId, page.afterId()));
        if (role != null) {
            args.add(role);
        }
        args.add(page.fetch());
        return db.run(c -> Sql.list(c, "SELECT a.id, a.username, a.display_name, a.email, m.role FROM course_members m"
                + " JOIN accounts a ON a.id = m.account_id WHERE m.course_id = ? AND a.id > ?" + byRole + " ORDER BY a.id LIMIT ?",
                rs -> new Member(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Policy.Membership.valueOf(rs.getString(5))), args.toArray()));
    }

    /** Adds a member, or changes their role; answers the role they had before ({@code NONE} if new). */
    public Policy.Membership putMember(String courseId, String accountId, Policy.Membership role, long now) {
        return db.inTransaction(c -> {
            Policy.Membership before = Sql.one(c, "SELECT role FROM course_members WHERE course_id = ? AND account_id = ?",
                    rs -> Policy.Membership.valueOf(rs.getString(1)), courseId, accountId).orElse(Policy.Membership.NONE);
            if (before == Policy.Membership.NONE) {
                Sql.update(c, "INSERT INTO course_members (course_id, account_id, role, created_at) VALUES (?, ?, ?, ?)",
                        courseId, accountId, role, now);
            } else if (before != role) {
                Sql.update(c, "UPDATE course_members SET role = ? WHERE course_id = ? AND account_id = ?", role, courseId, accountId);
            }
            return before;
        });
    }

    public boolean removeMember(String courseId, String accountId) {
        return db.run(c -> Sql.update(c, "DELETE FROM course_members WHERE course_id = ? AND account_id = ?", courseId, accountId)) > 0;
    }

    private static Long millis(Instant i) {
        return i == null ? null : i.toEpochMilli();
    }

    static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static Course map(ResultSet rs) throws SQLException {
        return new Course(rs.getString("id"), rs.getString("name"), rs.getString("code"), instant(Sql.nullableLong(rs, "opens_at")),
                instant(Sql.nullableLong(rs, "closes_at")), new Course.Quotas(nullableInt(rs, "max_labs_per_student"),
                nullableInt(rs, "max_vcpus"), nullableInt(rs, "max_memory_mb"), nullableInt(rs, "max_lab_hours_per_student")),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
    }
}
