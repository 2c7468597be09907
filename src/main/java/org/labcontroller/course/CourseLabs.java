package org.labcontroller.course;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Policy;
import org.labcontroller.lab.Lab;
import org.labcontroller.lab.LabService;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.Fields;
import org.labcontroller.storage.Page;
import org.labcontroller.template.Template;
import org.labcontroller.template.TemplateService;

/**
 * Labs in a course: a student starts one from the course's templates while it is open and within
 * its quotas; the course's instructors and admins list all of its labs, a student only their own.
 */
@ApplicationScoped
public class CourseLabs {
    @Inject
    CourseService courses;
    @Inject
    CourseRepository repository;
    @Inject
    LabService labs;
    @Inject
    TemplateService templates;
    @Inject
    Policy policy;
    @Inject
    Clock clock;

    /** The body of a course lab start. */
    public record NewCourseLab(String templateId) {
    }

    public Lab start(Caller caller, String courseId, NewCourseLab body) {
        CourseService.Visible v = courses.require(caller, courseId, "start-lab");
        Instant now = clock.instant();
        if (!v.course().openAt(now)) {
            throw ApiException.conflict(v.course().closedReason(now));
        }
        Template template = offered(courseId, Fields.required("body", body).templateId());
        String id = labs.createInCourse(caller, caller.id(), template, courseId, v.course().code(),
                c -> CourseQuotas.check(c, courseId, caller.id(), template, clock.instant(), CourseQuotas.Mode.START)).orElseThrow();
        return labs.get(caller, id);
    }

    /** All labs of the course for its instructors and admins; a student's own labs in it for a student. */
    public Page<Lab> list(Caller caller, String courseId, Page.Request page) {
        CourseService.Visible v = courses.get(caller, courseId);
        var actions = policy.courseActions(caller, v.membership(), true);
        if (actions.contains("view-labs")) {
            return labs.listOfCourse(courseId, null, page);
        }
        policy.requireCourseAction(caller, v.membership(), "view-own-labs");
        return labs.listOfCourse(courseId, caller.id(), page);
    }

    /** A template the course offers, or 400 naming {@code templateId}. */
    Template offered(String courseId, String templateId) {
        Fields.requiredText("templateId", templateId, 64);
        if (!repository.templateIds(courseId).contains(templateId)) {
            throw ApiException.invalid("templateId", "the course does not offer a template with id '" + templateId + "'");
        }
        return templates.get(policy.systemCaller(), templateId);
    }
}
