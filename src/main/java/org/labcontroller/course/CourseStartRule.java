package org.labcontroller.course;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Policy;
import org.labcontroller.lab.Lab;
import org.labcontroller.lab.LabStartRule;
import org.labcontroller.problem.ApiException;

/**
 * A student's course lab starts again only while its course is open, as a new one would; the
 * course's instructors and admins may start it at any time (to prepare or check it).
 */
@ApplicationScoped
class CourseStartRule implements LabStartRule {
    @Inject
    CourseRepository courses;
    @Inject
    Policy policy;
    @Inject
    Clock clock;

    @Override
    public void check(Caller caller, Lab lab) {
        if (lab.courseId() == null || !caller.id().equals(lab.ownerId())) {
            return;
        }
        Instant now = clock.instant();
        courses.find(lab.courseId(), policy.courseScope(policy.systemCaller())).filter(c -> !c.openAt(now))
                .ifPresent(c -> {
                    throw ApiException.conflict(c.closedReason(now));
                });
    }
}
