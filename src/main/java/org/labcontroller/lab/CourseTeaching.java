package org.labcontroller.lab;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.labcontroller.account.Caller;
import org.labcontroller.storage.Database;
import org.labcontroller.storage.Sql;

/**
 * Who teaches the course a lab was started in: the fact the rules on course labs turn on (a
 * course's instructors operate, watch, assist in and reset its students' labs). Apart from
 * {@link LabRepository}, which stores labs, because every check of a lab someone else owns asks it.
 */
@ApplicationScoped
public class CourseTeaching {
    @Inject
    Database db;

    /** Whether the caller, who does not own the lab, teaches the course it was started in. */
    public boolean teachesOthersLab(Caller caller, Lab lab) {
        return !caller.id().equals(lab.ownerId()) && teachesCourseOf(lab.id(), caller.id());
    }

    /** Whether the account teaches the course the lab was started in. */
    public boolean teachesCourseOf(String labId, String accountId) {
        return db.run(c -> Sql.count(c, "SELECT COUNT(*) FROM labs l JOIN course_members m ON m.course_id = l.course_id"
                + " WHERE l.id = ? AND m.account_id = ? AND m.role = 'INSTRUCTOR'", labId, accountId)) > 0;
    }

    /** The courses an account teaches (for the actions it may take on their labs). */
    public Set<String> coursesTaughtBy(String accountId) {
        return Set.copyOf(db.run(c -> Sql.list(c, "SELECT course_id FROM course_members WHERE account_id = ? AND role = 'INSTRUCTOR'",
                rs -> rs.getString(1), accountId)));
    }
}
