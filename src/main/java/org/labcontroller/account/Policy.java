package org.labcontroller.account;

import jakarta.enterprise.context.ApplicationScoped;
import org.labcontroller.problem.ApiException;

/**
 * Every authorization rule of the controller, in one place that REST resources and stream
 * endpoints both reach through the services. Reads are filtered in the query through the scopes
 * built here; an object outside the caller's scope answers exactly like a missing one.
 */
@ApplicationScoped
public class Policy {
    private static final Caller SYSTEM = new Caller("system", "system", Role.ADMIN);

    /**
     * Which rows of a table a caller may read. {@code all} for admins; otherwise rows owned by
     * {@code ownerId}, plus (for instructors) rows linked to templates they own or offered ones.
     */
    public record Scope(boolean all, String ownerId, boolean includeOffered, String templateOwnerId) {
    }

    /** The controller itself, for reads the loop and stream checks make after the user's own check passed. */
    public Caller systemCaller() {
        return SYSTEM;
    }

    public void requireAdmin(Caller caller) {
        if (!caller.isAdmin()) {
            throw ApiException.forbidden("Only admins may manage users");
        }
    }

    /** Templates: admins see all; instructors their own and offered ones; students offered ones. */
    public Scope templateScope(Caller caller) {
        return switch (caller.role()) {
            case ADMIN -> new Scope(true, null, true, null);
            case INSTRUCTOR -> new Scope(false, caller.id(), true, null);
            case STUDENT -> new Scope(false, null, true, null);
        };
    }

    /** How much of a template a caller reads: all of it, or what starting and using a lab needs. */
    public enum TemplateFields { ALL, LAUNCH }

    /**
     * The template's owner and admins read all of it; everyone else who can see it (students,
     * other instructors: offered templates) only what starting and using a lab needs, never its
     * image paths, its cloud-init (which may hold passwords) or its owner.
     */
    public TemplateFields templateFields(Caller caller, String templateOwnerId) {
        return caller.isAdmin() || caller.id().equals(templateOwnerId) ? TemplateFields.ALL : TemplateFields.LAUNCH;
    }

    public void requireTemplateAuthor(Caller caller) {
        if (caller.role() == Role.STUDENT) {
            throw ApiException.forbidden("Only instructors and admins may create templates");
        }
    }

    /** Changing or deleting a template the caller can see: only its owner or an admin. */
    public void requireTemplateOwner(Caller caller, String templateOwnerId) {
        if (!caller.isAdmin() && !caller.id().equals(templateOwnerId)) {
            throw ApiException.forbidden("Only the template's owner or an admin may change it");
        }
    }

    /** Labs: admins see all; instructors their own and those made from their templates; students their own. */
    public Scope labScope(Caller caller) {
        return switch (caller.role()) {
            case ADMIN -> new Scope(true, null, false, null);
            case INSTRUCTOR -> new Scope(false, caller.id(), false, caller.id());
            case STUDENT -> new Scope(false, caller.id(), false, null);
        };
    }

    /** How many labs the caller may hold at once: {@code perUser} for everyone but admins, who have no limit. */
    public long labQuota(Caller caller, int perUser) {
        return caller.isAdmin() ? Long.MAX_VALUE : perUser;
    }

    /** Acting on a lab the caller can see (start, stop, streams, delete): its owner or an admin. */
    public void requireLabOperator(Caller caller, String labOwnerId) {
        if (!caller.isAdmin() && !caller.id().equals(labOwnerId)) {
            throw ApiException.forbidden("Only the lab's owner or an admin may operate it");
        }
    }
}
