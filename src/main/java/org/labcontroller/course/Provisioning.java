package org.labcontroller.course;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.labcontroller.account.Caller;
import org.labcontroller.audit.AuditService;
import org.labcontroller.lab.Lab;
import org.labcontroller.lab.LabService;
import org.labcontroller.lab.LabState;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.Fields;
import org.labcontroller.storage.Page;
import org.labcontroller.template.Template;

/**
 * "A lab for every student": creates the missing lab of a template for each student of a course
 * and reports progress. Idempotent: a student who has a lab of the template (not being deleted)
 * gets none, checked under the course's lock. Creating is only rows; the machines are started by
 * the reconcile loop's work queue, whose fixed workers ({@code lab.labs.workers}) bound how many
 * start at once.
 */
@ApplicationScoped
public class Provisioning {
    @Inject
    CourseService courses;
    @Inject
    CourseRepository repository;
    @Inject
    CourseLabs courseLabs;
    @Inject
    LabService labs;
    @Inject
    AuditService audit;
    @Inject
    Clock clock;

    /** The body of a provision request. */
    public record Request(String templateId) {
    }

    /** A student who got no lab, and why. */
    public record Refusal(String username, String reason) {
    }

    /** What a provision run did. */
    public record Result(String templateId, int students, int created, int existing, List<Refusal> refused) {
    }

    /** A student's lab that failed, or a student without one. */
    public record Trouble(String username, String labId, String reason) {
    }

    /** Where a course's labs of a template stand: n of N running, the others on their way, failed or missing. */
    public record Progress(String templateId, int students, int running, int onTheWay, List<Trouble> failed, List<Trouble> missing) {
    }

    public Result provision(Caller caller, String courseId, Request body) {
        Course course = courses.require(caller, courseId, "provision").course();
        Template template = courseLabs.offered(courseId, Fields.required("body", body).templateId());
        List<CourseRepository.Member> students = repository.allStudents(courseId);
        int created = 0;
        int existing = 0;
        List<Refusal> refused = new ArrayList<>();
        // NOTE: each student's lab is one transaction under the course's row lock (CourseQuotas), so
        // two provision runs at once still give every student at most one lab of the template.
        for (CourseRepository.Member s : students) {
            try {
                boolean made = labs.createInCourse(caller, s.accountId(), template, courseId, course.code(),
                        c -> CourseQuotas.check(c, courseId, s.accountId(), template, clock.instant(), CourseQuotas.Mode.PROVISION))
                        .isPresent();
                if (made) {
                    created++;
                } else {
                    existing++;
                }
            } catch (ApiException e) {
                refused.add(new Refusal(s.username(), e.getMessage()));
            }
        }
        audit.courseAction(caller, "course-provision", courseId, course.code(), "template " + template.name() + ": " + created
                + " created, " + existing + " existing, " + refused.size() + " refused");
        return new Result(template.id(), students.size(), created, existing, List.copyOf(refused));
    }

    public Progress progress(Caller caller, String courseId, String templateId) {
        courses.require(caller, courseId, "provision");
        Template template = courseLabs.offered(courseId, templateId);
        Map<String, Lab> byOwner = new HashMap<>();
        String cursor = null;
        do {
            Page<Lab> page = labs.listOfCourse(courseId, null, Page.Request.of(Page.MAX_LIMIT, cursor));
            page.items().stream().filter(l -> l.templateId().equals(template.id()) && l.desired() != org.labcontroller.lab.Desired.DELETED)
                    .forEach(l -> byOwner.putIfAbsent(l.ownerId(), l));
            cursor = page.nextCursor();
        } while (cursor != null);
        List<CourseRepository.Member> students = repository.allStudents(courseId);
        int running = 0;
        int onTheWay = 0;
        List<Trouble> failed = new ArrayList<>();
        List<Trouble> missing = new ArrayList<>();
        for (CourseRepository.Member s : students) {
            Lab lab = byOwner.get(s.accountId());
            if (lab == null) {
                missing.add(new Trouble(s.username(), null, "No lab yet"));
            } else if (lab.state() == LabState.RUNNING) {
                running++;
            } else if (lab.state() == LabState.FAILED) {
                failed.add(new Trouble(s.username(), lab.id(), lab.stateReason()));
            } else {
                onTheWay++;
            }
        }
        return new Progress(template.id(), students.size(), running, onTheWay, failed, missing);
    }

}
