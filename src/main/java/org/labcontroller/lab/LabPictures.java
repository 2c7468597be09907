package org.labcontroller.lab;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Policy;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.ErrorCode;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.StreamUnavailableException;

/**
 * The thumbnail endpoint's rules: who may see a lab's screen as a picture and when there is one;
 * the pictures themselves come from the shared cache ({@link Thumbnails}).
 */
@ApplicationScoped
public class LabPictures {
    @Inject
    LabService labs;
    @Inject
    CourseTeaching teaching;
    @Inject
    Policy policy;
    @Inject
    LabRuntime runtime;
    @Inject
    Thumbnails thumbnails;

    /**
     * A picture (PNG) of a running lab's screen for its owner, an admin or an instructor of its
     * course, shared by every request of a short period (see {@link Thumbnails}); refused like a
     * screen stream: a foreign lab is 404, a lab not running or without a screen is 409.
     */
    public byte[] thumbnail(Caller caller, String id) {
        Lab lab = labs.find(caller, id);
        policy.requireScreenViewer(caller, lab.ownerId(), teaching.teachesOthersLab(caller, lab));
        if (lab.desired() == Desired.DELETED) {
            throw ApiException.conflict("The lab is being deleted");
        }
        labs.requireOffered(lab, StreamKind.VNC);
        if (!runtime.screenshots()) {
            throw ApiException.conflict("This controller's runtime (" + runtime.name() + ") takes no screenshots");
        }
        try {
            return thumbnails.get(id);
        } catch (StreamUnavailableException e) {
            throw ApiException.conflict(e.getMessage());
        } catch (org.labcontroller.runtime.RuntimeFailure e) {
            throw new ApiException(ErrorCode.UNAVAILABLE, "The lab's screen cannot be reached: " + e.getMessage());
        }
    }
}
