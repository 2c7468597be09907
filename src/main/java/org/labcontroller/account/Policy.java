package org.labcontroller.account;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
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
     * {@code ownerId}, plus (for instructors) rows linked to templates they own or offered ones,
     * and labs started in courses that {@code templateOwnerId} teaches.
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

    /**
     * The actions a caller may take on a template they can see, for the API's {@code allowedActions}:
     * start a lab from it when it is offered or theirs; change or delete it when they own it or are an admin.
     */
    public List<String> templateActions(Caller caller, String templateOwnerId, boolean offered) {
        List<String> actions = new ArrayList<>(List.of("view"));
        boolean owns = caller.isAdmin() || caller.id().equals(templateOwnerId);
        if (offered || owns) {
            actions.add("start-lab");
        }
        if (owns) {
            actions.addAll(List.of("edit", "delete"));
        }
        return List.copyOf(actions);
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

    /** Acting on a lab (start, stop, restart, delete, not its streams): its owner, an admin, or an instructor of its course. */
    public void requireLabOperator(Caller caller, String labOwnerId, boolean teachesItsCourse) {
        if (!teachesItsCourse) {
            requireLabOperator(caller, labOwnerId);
        }
    }

    /**
     * Seeing a picture of a lab's screen (the class overview's thumbnails): its owner, an admin, or
     * an instructor of the lab's course. Another student never; nor an instructor who only wrote the
     * lab's template, since the picture shows a student's work, not the template.
     */
    public void requireScreenViewer(Caller caller, String labOwnerId, boolean teachesItsCourse) {
        if (!teachesItsCourse && !caller.isAdmin() && !caller.id().equals(labOwnerId)) {
            throw ApiException.forbidden("Only the lab's owner, an instructor of its course or an admin may see its screen");
        }
    }

    /**
     * The actions a caller may take on one lab they can see, for the API's {@code allowedActions} and
     * the UI: its owner operates it and uses its streams ({@code console}, {@code screen}) and resets it;
     * an instructor of its course or an admin operates and resets it and joins its streams as someone
     * else ({@code watch}: read-only, {@code assist}: with input), which the student is told about.
     */
    public List<String> labActions(Caller caller, String labOwnerId, boolean teachesItsCourse) {
        List<String> actions = new ArrayList<>(List.of("view"));
        boolean owner = caller.id().equals(labOwnerId);
        if (owner || caller.isAdmin() || teachesItsCourse) {
            actions.addAll(List.of("start", "stop", "restart", "delete", "reset", "thumbnail"));
        }
        if (owner) {
            actions.addAll(List.of("console", "screen"));
        } else if (caller.isAdmin() || teachesItsCourse) {
            actions.addAll(List.of("watch", "assist"));
        }
        return List.copyOf(actions);
    }

    /**
     * How a caller may join a lab's console or screen, given the mode they asked for ({@code watch},
     * {@code assist} or null): the owner uses their own stream ({@code own}; asking to watch it gives a
     * read-only view of it, harmlessly); anyone else needs the {@code watch} or {@code assist} action of
     * {@link #labActions}. Without a mode an admin assists (the behaviour before modes existed, now
     * announced to the student) and an instructor of the course watches, the mode that cannot harm.
     */
    public String streamMode(Caller caller, String labOwnerId, boolean teachesItsCourse, String requested) {
        if (requested != null && !requested.equals("watch") && !requested.equals("assist")) {
            throw ApiException.invalid("mode", "must be watch or assist");
        }
        if (caller.id().equals(labOwnerId)) {
            return "watch".equals(requested) ? "watch" : "own";
        }
        String mode = requested != null ? requested : caller.isAdmin() ? "assist" : "watch";
        if (!labActions(caller, labOwnerId, teachesItsCourse).contains(mode)) {
            throw ApiException.forbidden("Only the lab's owner, an instructor of its course or an admin may open its streams");
        }
        return mode;
    }

    /** What a caller is in one course; {@code NONE} for a course they only see as an admin. */
    public enum Membership { NONE, STUDENT, INSTRUCTOR }

    /** Which courses a caller may see: all for admins, otherwise those they are a member of. */
    public record CourseScope(boolean all, String memberId) {
    }

    public CourseScope courseScope(Caller caller) {
        return caller.isAdmin() ? new CourseScope(true, null) : new CourseScope(false, caller.id());
    }

    public void requireCourseCreator(Caller caller) {
        if (caller.role() == Role.STUDENT) {
            throw ApiException.forbidden("Only instructors and admins may create courses");
        }
    }

    /** Whether the creator of a course becomes its instructor: an instructor does, an admin manages it anyway. */
    public boolean teachesCreatedCourse(Caller caller) {
        return !caller.isAdmin();
    }

    /** Only instructor and admin accounts may teach a course. */
    public void requireMayTeach(Role accountRole, String username) {
        if (accountRole == Role.STUDENT) {
            throw ApiException.invalid("username", "'" + username + "' is a student account; only instructors and admins may teach");
        }
    }

    /**
     * The actions a caller may take on a course they can see, for the API's {@code allowedActions}
     * and for every check: admins and the course's instructors manage it; its students start labs
     * from its templates while it is open and see their own labs in it. {@code operate-labs}: start,
     * stop, restart and delete the course's labs (not their console or screen).
     */
    public List<String> courseActions(Caller caller, Membership membership, boolean open) {
        List<String> actions = new ArrayList<>(List.of("view"));
        if (caller.isAdmin() || membership == Membership.INSTRUCTOR) {
            actions.addAll(List.of("edit", "delete", "members", "roster", "provision", "view-labs", "operate-labs",
                    "overview", "reset-labs"));
        }
        if (membership == Membership.STUDENT) {
            actions.add("view-own-labs");
            if (open) {
                actions.add("start-lab");
            }
        }
        return List.copyOf(actions);
    }

    /** Refuses (403) an action on a visible course that {@link #courseActions} does not allow, whatever the window. */
    public void requireCourseAction(Caller caller, Membership membership, String action) {
        if (!courseActions(caller, membership, true).contains(action)) {
            throw ApiException.forbidden(switch (action) {
                case "start-lab" -> "Only the course's students start labs in it";
                default -> "Only the course's instructors or an admin may do this";
            });
        }
    }
}
