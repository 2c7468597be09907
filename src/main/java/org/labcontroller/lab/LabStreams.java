package org.labcontroller.lab;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Policy;
import org.labcontroller.problem.ApiException;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.runtime.StreamKind;

/**
 * Who may open a lab's console or screen, and in which mode: the owner their own stream, an
 * instructor of the lab's course or an admin as a watcher or an assistant (the rule is
 * {@link Policy#streamMode}). The same check runs before each upgrade and at every re-check of an
 * open stream, so a watcher removed from the course loses the stream too.
 */
@ApplicationScoped
public class LabStreams {
    @Inject
    LabService labs;
    @Inject
    CourseTeaching teaching;
    @Inject
    Policy policy;
    @Inject
    LabRuntime runtime;

    /**
     * What a check granted: the mode, whether the owner is told (someone else joined), and as what
     * the joiner is shown ({@code instructor} of the lab's course or {@code admin}).
     */
    public record Grant(StreamMode mode, boolean announced, String capacity) {
    }

    /**
     * Checks that the caller may open the lab's stream in the mode asked for ({@code watch},
     * {@code assist} or null) and that the lab is running and offers it: a foreign lab is 404, a
     * visible one the caller may not join 403, a lab not running or not offering the stream 409.
     */
    public Grant check(Caller caller, String id, StreamKind kind, String requestedMode) {
        Lab lab = labs.find(caller, id);
        boolean owner = caller.id().equals(lab.ownerId());
        boolean teaches = teaching.teachesOthersLab(caller, lab);
        StreamMode mode = StreamMode.of(policy.streamMode(caller, lab.ownerId(), teaches, requestedMode));
        if (lab.desired() == Desired.DELETED) {
            throw ApiException.conflict("The lab is being deleted");
        }
        labs.requireOffered(lab, kind);
        if (!owner && kind == StreamKind.VNC && runtime.exclusiveScreen()) {
            // NOTE: such a runtime (KubeVirt) gives a lab's screen to one connection at a time; a
            // watcher's would take the screen from the student, so only the console can be joined.
            throw ApiException.conflict("This controller's runtime (" + runtime.name() + ") shows a lab's screen to one viewer"
                    + " at a time, so joining it would take it from the student; join the console instead");
        }
        return new Grant(mode, !owner, teaches ? "instructor" : "admin");
    }
}
