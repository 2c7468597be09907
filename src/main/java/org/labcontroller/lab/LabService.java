package org.labcontroller.lab;

import org.labcontroller.runtime.StreamUnavailableException;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.LabRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.time.Clock;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Policy;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.ErrorCode;
import org.labcontroller.problem.Fields;
import org.labcontroller.storage.DataAccessException;
import org.labcontroller.storage.Ids;
import org.labcontroller.storage.Sql;
import org.labcontroller.storage.Page;
import org.labcontroller.template.Template;
import org.labcontroller.template.TemplateService;

/**
 * What users do with labs. It records the desired state and wakes the reconcile loop; it never
 * calls the runtime to change a machine itself. The stream layer dials through it after
 * {@link LabStreams} checked who may reach which lab.
 */
@ApplicationScoped
public class LabService {
    @Inject
    LabRepository labs;
    @Inject
    TemplateService templates;
    @Inject
    Policy policy;
    @Inject
    LabConfig config;
    @Inject
    Reconciler reconciler;
    @Inject
    LabRuntime runtime;
    @Inject
    jakarta.enterprise.event.Event<LabChanged> changes;
    @Inject
    org.labcontroller.audit.AuditService audit;
    @Inject
    Clock clock;
    @Inject
    jakarta.enterprise.inject.Instance<LabStartRule> startRules;
    @Inject
    LabCapabilities capabilities;
    @Inject
    CourseTeaching teaching;

    /** The body of a lab create. */
    public record NewLab(String templateId) {
    }

    public Lab create(Caller caller, NewLab body) {
        String templateId = Fields.requiredText("templateId", Fields.required("body", body).templateId(), 64);
        Template template;
        try {
            template = templates.get(caller, templateId);
        } catch (ApiException e) {
            throw ApiException.invalid("templateId", "no template with id '" + templateId + "'");
        }
        String id = Ids.newId();
        long quota = policy.labQuota(caller, config.maxPerUser());
        if (!inserting(template, (now, expiresAt) -> labs.insertWithinQuota(id, caller.id(), template.id(), now, expiresAt, quota))) {
            throw ApiException.conflict("You have " + config.maxPerUser() + " labs already; delete one first");
        }
        audit.labAction(caller, "create", id, "template " + template.name());
        Lab created = get(caller, id);
        reconciler.enqueue(id);
        return created;
    }

    /**
     * Creates a lab of a course for {@code ownerId} when {@code guard} (the course's quota and
     * window check, run in the insert's transaction) lets it; answers its id, or empty when the guard
     * declined. The actor is audited; the loop is woken.
     */
    public java.util.Optional<String> createInCourse(Caller actor, String ownerId, Template template, String courseId,
            String courseCode, Sql.Work<Boolean> guard) {
        String id = Ids.newId();
        if (!inserting(template, (now, expiresAt) -> labs.insertGuarded(id, ownerId, template.id(), courseId, now, expiresAt, guard))) {
            return java.util.Optional.empty();
        }
        audit.labAction(actor, "create", id, "template " + template.name() + " in course " + courseCode);
        reconciler.enqueue(id);
        return java.util.Optional.of(id);
    }

    /** An insert of a lab of {@code template}, now until its lifetime ends. */
    private interface Insert {
        boolean run(long now, long expiresAt);
    }

    /** Runs the insert; a template (or course) deleted meanwhile is a 409, not a 500. */
    private boolean inserting(Template template, Insert insert) {
        long now = clock.millis();
        try {
            return insert.run(now, now + template.maxLifetimeMinutes() * 60_000L);
        } catch (DataAccessException e) {
            if (Sql.isForeignKeyViolation(e)) {
                throw ApiException.conflict("The template '" + template.name() + "' (or its course) was deleted meanwhile; choose another one");
            }
            throw e;
        }
    }

    /** The labs of a course, or of one owner in it; the course feature checked who may read them. */
    public Page<Lab> listOfCourse(String courseId, String ownerId, Page.Request page) {
        return Page.of(labs.pageOfCourse(courseId, ownerId, page), page, Lab::id);
    }

    public Page<Lab> list(Caller caller, Page.Request page) {
        return capabilities.of(caller, Page.of(labs.page(policy.labScope(caller), page), page, Lab::id));
    }

    /** A lab the caller may see, with the caller's allowedActions (an answer to the caller), or 404 exactly as if it did not exist. */
    public Lab get(Caller caller, String id) {
        return capabilities.of(caller, find(caller, id));
    }

    /**
     * A lab the caller may see, for a check (streams, thumbnails, operations): without allowedActions,
     * which cost a query a check does not need; 404 exactly as if it did not exist.
     */
    public Lab find(Caller caller, String id) {
        return labs.find(id, policy.labScope(caller)).orElseThrow(() -> ApiException.notFound("lab", id));
    }

    public Lab start(Caller caller, String id) {
        Lab lab = operable(caller, id);
        if (lab.desired() != Desired.RUNNING || lab.state() == LabState.FAILED) {
            startRules.forEach(rule -> rule.check(caller, lab));
            return request(caller, "start", lab, Desired.RUNNING, LabState.PENDING, false);
        }
        return lab;
    }

    public Lab stop(Caller caller, String id) {
        Lab lab = operable(caller, id);
        if (lab.desired() != Desired.STOPPED) {
            return request(caller, "stop", lab, Desired.STOPPED, LabState.STOPPING, false);
        }
        return lab;
    }

    public Lab restart(Caller caller, String id) {
        Lab lab = operable(caller, id);
        if (lab.desired() != Desired.RUNNING) {
            throw ApiException.conflict("The lab is stopped; start it instead");
        }
        return request(caller, "restart", lab, Desired.RUNNING, LabState.STARTING, true);
    }

    public Lab delete(Caller caller, String id) {
        Lab lab = operable(caller, id);
        return request(caller, "delete", lab, Desired.DELETED, LabState.DELETING, false);
    }

    /** A lab's stream can be opened only while it runs and its template offers the stream (409 otherwise). */
    void requireOffered(Lab lab, StreamKind kind) {
        if (lab.state() != LabState.RUNNING) {
            throw ApiException.conflict("The lab is " + lab.state().label().toLowerCase() + ", not running; start it first");
        }
        Template template = templates.get(policy.systemCaller(), lab.templateId());
        if (kind == StreamKind.CONSOLE ? !template.console() : !template.vnc()) {
            throw ApiException.conflict("The lab's template does not offer its " + (kind == StreamKind.CONSOLE ? "console" : "screen"));
        }
    }

    /** Opens the lab's stream in the runtime; call only after {@link LabStreams#check}. */
    public ByteChannel dialStream(String id, StreamKind kind) {
        try {
            return runtime.open(id, kind);
        } catch (StreamUnavailableException e) {
            throw ApiException.conflict(e.getMessage());
        } catch (IOException e) {
            throw new ApiException(ErrorCode.UNAVAILABLE, "The lab's " + kind.name().toLowerCase() + " cannot be reached: " + e.getMessage());
        }
    }

    /** What a lab's console printed before it was dialled (see {@link LabRuntime#consoleHistory}); after the access check. */
    public byte[] consoleHistory(String id, int maxBytes) {
        return runtime.consoleHistory(id, maxBytes);
    }

    /** Whether a lab's screen takes one viewer at a time (see {@link LabRuntime#exclusiveScreen()}). */
    public boolean exclusiveScreen() {
        return runtime.exclusiveScreen();
    }

    /** A lab the caller may start, stop, restart or delete: also an instructor of the lab's course. */
    private Lab operable(Caller caller, String id) {
        Lab lab = find(caller, id);
        policy.requireLabOperator(caller, lab.ownerId(), teaching.teachesOthersLab(caller, lab));
        if (lab.desired() == Desired.DELETED) {
            throw ApiException.conflict("The lab is being deleted");
        }
        return lab;
    }

    /**
     * Records the request and hands the lab to the loop; answers the lab as the request left it.
     * NOTE: read before the loop is told: the loop may finish (a delete removes the row) before
     * this thread reads again.
     */
    private Lab request(Caller caller, String action, Lab lab, Desired desired, LabState shown, boolean restart) {
        labs.request(lab.id(), desired, shown, restart, clock.millis());
        Lab requested = get(caller, lab.id());
        audit.labAction(caller, action, lab.id(), null);
        reconciler.enqueue(lab.id());
        if (desired != Desired.RUNNING) {
            changes.fire(new LabChanged(lab.id(), desired));
        }
        return requested;
    }

    /** Announced when a user stops or deletes a lab, so its open streams end at once with the reason. */
    public record LabChanged(String labId, Desired desired) {
    }
}
