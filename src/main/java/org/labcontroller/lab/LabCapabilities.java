package org.labcontroller.lab;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Policy;
import org.labcontroller.storage.Page;

/**
 * Adds to the labs answered to a caller the actions {@code Policy.labActions} lets that caller take
 * ({@code allowedActions}), so the UI renders its buttons from the server's answer. One query (the
 * courses the caller teaches) per answer, whether it holds one lab or a page.
 */
@ApplicationScoped
class LabCapabilities {
    @Inject
    CourseTeaching teaching;
    @Inject
    Policy policy;

    Lab of(Caller caller, Lab lab) {
        return with(caller, lab, lab.courseId() == null ? Set.of() : teaching.coursesTaughtBy(caller.id()));
    }

    Page<Lab> of(Caller caller, Page<Lab> page) {
        if (page.items().isEmpty()) {
            return page;
        }
        Set<String> taught = teaching.coursesTaughtBy(caller.id());
        List<Lab> items = page.items().stream().map(l -> with(caller, l, taught)).toList();
        return new Page<>(items, page.nextCursor());
    }

    private Lab with(Caller caller, Lab lab, Set<String> taught) {
        return lab.withAllowedActions(policy.labActions(caller, lab.ownerId(), lab.courseId() != null && taught.contains(lab.courseId())));
    }
}
