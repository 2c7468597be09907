package org.labcontroller.course;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.labcontroller.account.Caller;
import org.labcontroller.audit.AuditService;
import org.labcontroller.lab.LabResets;
import org.labcontroller.problem.ApiException;

/**
 * "Reset all labs of the course": every lab of a course (or of one of its templates) goes back to
 * its template's initial state. A course's instructors and admins only ({@code reset-labs}), and
 * only with the course's code typed as a confirmation, since every student's work is lost. The
 * labs are reset one by one through the reconcile loop's work queue ({@link LabResets}).
 */
@ApplicationScoped
public class CourseResets {
    @Inject
    CourseService courses;
    @Inject
    LabResets resets;
    @Inject
    AuditService audit;

    /** The body of a class reset: {@code confirm} must be the course's code; {@code templateId} optional. */
    public record Request(String templateId, String confirm) {
    }

    /** How many labs are being reset. */
    public record Result(int labs) {
    }

    public Result reset(Caller caller, String courseId, Request body) {
        Course course = courses.require(caller, courseId, "reset-labs").course();
        String confirm = body == null || body.confirm() == null ? "" : body.confirm().strip();
        if (!confirm.equals(course.code())) {
            throw ApiException.invalid("confirm", "type the course's code (" + course.code() + ") to confirm that every"
                    + " student's work in its labs is lost");
        }
        String templateId = body.templateId() == null || body.templateId().isBlank() ? null : body.templateId().strip();
        int n = resets.resetCourse(caller, course.id(), course.code(), templateId);
        audit.courseAction(caller, "reset-labs", course.id(), course.code(), n + " labs" + (templateId == null ? "" : " of template " + templateId));
        return new Result(n);
    }
}
