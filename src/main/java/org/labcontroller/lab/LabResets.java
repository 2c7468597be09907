package org.labcontroller.lab;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Policy;
import org.labcontroller.audit.AuditService;
import org.labcontroller.problem.ApiException;

/**
 * Reset to template (issue 13): everything saved in a lab since it started from its template is
 * thrown away and the lab starts again from the template. Like every request, it only records what
 * the user asked for (a reset generation, see {@link ResetRepository}) and wakes the reconcile loop,
 * which removes the machine and its disk and starts a fresh one ({@link ResetDecision}). Apart from
 * {@link LabService} so that class keeps to the lab's ordinary lifecycle.
 */
@ApplicationScoped
public class LabResets {
    @Inject
    LabService labs;
    @Inject
    CourseTeaching teaching;
    @Inject
    ResetRepository resets;
    @Inject
    Policy policy;
    @Inject
    Reconciler reconciler;
    @Inject
    AuditService audit;
    @Inject
    Clock clock;

    /**
     * Resets one lab the caller may operate (its owner, an instructor of its course, an admin): a
     * lab the caller cannot see is 404, one being deleted 409. Answers the lab as the request left it.
     */
    public Lab reset(Caller caller, String id) {
        Lab lab = labs.find(caller, id);
        policy.requireLabOperator(caller, lab.ownerId(), teaching.teachesOthersLab(caller, lab));
        if (lab.desired() == Desired.DELETED || !request(caller, id, null)) {
            throw ApiException.conflict("The lab is being deleted");
        }
        return labs.get(caller, id);
    }

    /**
     * Resets every lab of a course that is not being deleted, or only those of {@code templateId};
     * the course feature checked that {@code actor} may. Only rows are written here: the loop's
     * fixed workers carry the resets out a few at a time. Answers how many labs were reset.
     */
    public int resetCourse(Caller actor, String courseId, String courseCode, String templateId) {
        List<String> ids = resets.ofCourse(courseId, templateId);
        int n = 0;
        for (String id : ids) {
            if (request(actor, id, "whole course " + courseCode)) {
                n++;
            }
        }
        return n;
    }

    private boolean request(Caller caller, String id, String detail) {
        if (!resets.request(id, ResetDecision.RESETTING, clock.millis())) {
            return false;
        }
        audit.labAction(caller, "reset", id, detail);
        reconciler.enqueue(id);
        return true;
    }
}
