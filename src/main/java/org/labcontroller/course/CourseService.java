package org.labcontroller.course;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Policy;
import org.labcontroller.audit.AuditService;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.ErrorCode;
import org.labcontroller.problem.Fields;
import org.labcontroller.storage.DataAccessException;
import org.labcontroller.storage.Ids;
import org.labcontroller.storage.Page;
import org.labcontroller.storage.Sql;
import org.labcontroller.template.Template;
import org.labcontroller.template.TemplateService;

/**
 * Creates, lists, changes and deletes courses. Every read goes through the caller's course scope
 * (a course the caller is not in answers 404, like a missing one) and every change through
 * {@code Policy.requireCourseAction}; each answer carries the caller's {@code allowedActions}.
 */
@ApplicationScoped
public class CourseService {
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");

    @Inject
    CourseRepository courses;
    @Inject
    TemplateService templates;
    @Inject
    Policy policy;
    @Inject
    AuditService audit;
    @Inject
    Clock clock;

    /** A course the caller can see, with the caller's membership in it. */
    public record Visible(Course course, Policy.Membership membership) {
    }

    public CourseView create(Caller caller, CourseRequest body) {
        policy.requireCourseCreator(caller);
        Instant now = clock.instant();
        Course c = validated(Ids.newId(), body, now, now);
        List<String> offered = templateIds(caller, body.templateIds());
        String instructor = policy.teachesCreatedCourse(caller) ? caller.id() : null;
        store(() -> courses.insert(c, instructor, offered), c.code());
        audit.courseAction(caller, "course-create", c.id(), c.code(), c.name());
        return read(caller, c.id());
    }

    public Page<CourseView> list(Caller caller, Page.Request page) {
        return Page.of(courses.page(policy.courseScope(caller), page), page, Course::id).map(c -> view(caller, c));
    }

    public CourseView read(Caller caller, String id) {
        return view(caller, get(caller, id).course());
    }

    /** A course the caller can see, or 404 exactly as if it did not exist. */
    public Visible get(Caller caller, String id) {
        Course c = courses.find(id, policy.courseScope(caller)).orElseThrow(() -> ApiException.notFound("course", id));
        return new Visible(c, courses.membership(id, caller.id()));
    }

    /** A visible course on which the caller may take {@code action} (403 otherwise). */
    public Visible require(Caller caller, String id, String action) {
        Visible v = get(caller, id);
        policy.requireCourseAction(caller, v.membership(), action);
        return v;
    }

    public CourseView replace(Caller caller, String id, CourseRequest body) {
        Course old = require(caller, id, "edit").course();
        Course c = validated(id, body, old.createdAt(), clock.instant());
        List<String> offered = templateIds(caller, body.templateIds());
        store(() -> {
            if (!courses.update(c, offered)) {
                throw ApiException.notFound("course", id);
            }
        }, c.code());
        audit.courseAction(caller, "course-edit", id, c.code(), null);
        return read(caller, id);
    }

    public void delete(Caller caller, String id) {
        Course c = require(caller, id, "delete").course();
        long labs = courses.labCount(id);
        if (labs > 0) {
            throw ApiException.conflict("The course still has " + labs + " labs; delete them first");
        }
        try {
            courses.delete(id);
        } catch (DataAccessException e) {
            if (Sql.isForeignKeyViolation(e)) {
                throw ApiException.conflict("A lab was just started in the course; delete it first");
            }
            throw e;
        }
        audit.courseAction(caller, "course-delete", id, c.code(), c.name());
    }

    CourseView view(Caller caller, Course c) {
        Policy.Membership membership = courses.membership(c.id(), caller.id());
        Instant now = clock.instant();
        boolean open = c.openAt(now);
        List<String> actions = policy.courseActions(caller, membership, open);
        boolean showTemplates = open || actions.contains("edit");
        List<CourseView.OfferedTemplate> offered = new ArrayList<>();
        if (showTemplates) {
            for (String t : courses.templateIds(c.id())) {
                Template tpl = templates.get(policy.systemCaller(), t);
                offered.add(new CourseView.OfferedTemplate(tpl.id(), tpl.name(), tpl.description(), tpl.cpus(), tpl.memoryMb()));
            }
        }
        return new CourseView(c.id(), c.name(), c.code(), c.opensAt(), c.closesAt(), c.quotas(), open, c.closedReason(now), offered,
                membership == Policy.Membership.NONE ? null : membership.name().toLowerCase(java.util.Locale.ROOT),
                courses.memberCount(c.id(), Policy.Membership.STUDENT), courses.memberCount(c.id(), Policy.Membership.INSTRUCTOR),
                actions, c.createdAt(), c.updatedAt());
    }

    private Course validated(String id, CourseRequest body, Instant created, Instant updated) {
        Fields.required("body", body);
        String name = Fields.requiredText("name", body.name(), 200);
        String code = Fields.matches("code", Fields.required("code", body.code()), CODE,
                "must be 1-32 letters, digits, '.', '_' or '-', starting with a letter or digit");
        if (body.opensAt() != null && body.closesAt() != null && !body.opensAt().isBefore(body.closesAt())) {
            throw ApiException.invalid("closesAt", "must be after opensAt");
        }
        Course.Quotas q = body.quotas() == null ? Course.Quotas.NONE : body.quotas();
        q = new Course.Quotas(limit("quotas.maxLabsPerStudent", q.maxLabsPerStudent(), 1, 100),
                limit("quotas.maxVcpus", q.maxVcpus(), 1, 100_000), limit("quotas.maxMemoryMb", q.maxMemoryMb(), 64, 100_000_000),
                limit("quotas.maxLabHoursPerStudent", q.maxLabHoursPerStudent(), 1, 100_000));
        return new Course(id, name, code, body.opensAt(), body.closesAt(), q, created, updated);
    }

    private static Integer limit(String field, Integer value, int min, int max) {
        return value == null ? null : Fields.range(field, value, min, max);
    }

    /** The offered templates, each one the caller can see (400 naming the entry otherwise). */
    private List<String> templateIds(Caller caller, List<String> ids) {
        List<String> out = new ArrayList<>();
        int i = 0;
        for (String t : ids == null ? List.<String>of() : new LinkedHashSet<>(ids)) {
            String field = "templateIds[" + i++ + "]";
            try {
                out.add(templates.get(caller, Fields.requiredText(field, t, 64)).id());
            } catch (ApiException e) {
                throw ApiException.invalid(field, "no template with id '" + t + "'");
            }
        }
        return out;
    }

    private static void store(Runnable write, String code) {
        try {
            write.run();
        } catch (DataAccessException e) {
            if (Sql.isUniqueViolation(e.sqlException())) {
                throw new ApiException(ErrorCode.CONFLICT, "A course with the code '" + code + "' exists already", "code");
            }
            throw e;
        }
    }
}
