package org.labcontroller.lab;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.labcontroller.storage.Database;
import org.labcontroller.storage.Sql;

/**
 * A lab's reset generation (issue 13, "reset to template"): the API bumps {@code reset_requested};
 * the reconcile loop, once the runtime holds no machine (nor disk) of the lab any more, writes the
 * generation it read into {@code reset_applied}. Kept apart from {@link LabRepository}, whose
 * {@link Lab} rows do not carry the generation: the loop reads it with its own query.
 */
@ApplicationScoped
public class ResetRepository {
    @Inject
    Database db;
    @Inject
    Fence fence;
    @Inject
    LabChanges changes;

    /**
     * Records a user's reset: the generation and the desired version go up (so a loop turn that read
     * the lab before cannot overwrite the state shown here); the state shows Starting (a lab wanted
     * running) or Stopped, with {@code reason}. False when the lab is gone or being deleted.
     */
    public boolean request(String id, String reason, long now) {
        boolean written = db.run(c -> Sql.update(c, "UPDATE labs SET reset_requested = reset_requested + 1,"
                + " desired_version = desired_version + 1, state = CASE WHEN desired = ? THEN ? ELSE ? END, state_reason = ?,"
                + " state_changed_at = ? WHERE id = ? AND desired <> ?", Desired.RUNNING, LabState.STARTING, LabState.STOPPED,
                reason, now, id, Desired.DELETED)) > 0;
        if (written) {
            changes.announce(id);
        }
        return written;
    }

    /** The requested generation when it is newer than the applied one; empty when no reset is pending. */
    public Optional<Integer> pending(String id) {
        return db.run(c -> Sql.one(c, "SELECT reset_requested FROM labs WHERE id = ? AND reset_requested > reset_applied",
                rs -> rs.getInt(1), id));
    }

    /**
     * The loop's record that the lab's machine is gone for the reset of {@code generation}: written by
     * the leader of {@code epoch} only, and never lowering what is recorded. Not conditional on the
     * desired version: the machine is gone whatever the user asked since, and a reset asked for
     * meanwhile has a higher generation, so it stays pending.
     */
    public boolean applied(String id, int generation, long epoch) {
        return fence.write(c -> Sql.update(c, "UPDATE labs SET reset_applied = ?, epoch = ? WHERE id = ? AND reset_applied < ?"
                + Fence.CURRENT, generation, epoch, id, generation, epoch)) > 0;
    }

    /** The ids of a course's labs that are not being deleted, optionally only those of one template. */
    public List<String> ofCourse(String courseId, String templateId) {
        List<Object> args = new ArrayList<>(List.of(courseId, Desired.DELETED));
        String sql = "SELECT id FROM labs WHERE course_id = ? AND desired <> ?";
        if (templateId != null) {
            sql += " AND template_id = ?";
            args.add(templateId);
        }
        String query = sql + " ORDER BY id";
        return db.run(c -> Sql.list(c, query, rs -> rs.getString(1), args.toArray()));
    }
}
