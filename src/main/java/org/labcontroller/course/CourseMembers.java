package org.labcontroller.course;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Locale;
import org.labcontroller.account.Account;
import org.labcontroller.account.AccountRepository;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Policy;
import org.labcontroller.audit.AuditService;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.Fields;
import org.labcontroller.storage.Page;

/** Adds, lists and removes a course's instructors and students one by one; rosters add many at once ({@link RosterService}). */
@ApplicationScoped
public class CourseMembers {
    @Inject
    CourseService courses;
    @Inject
    CourseRepository repository;
    @Inject
    AccountRepository accounts;
    @Inject
    Policy policy;
    @Inject
    AuditService audit;
    @Inject
    Clock clock;

    /** The body of a member add: an existing account's username and its role in the course. */
    public record NewMember(String username, String role) {
    }

    /** A member as the API answers it. */
    public record MemberView(String accountId, String username, String displayName, String email, String role) {
        static MemberView of(CourseRepository.Member m) {
            return new MemberView(m.accountId(), m.username(), m.displayName(), m.email(), m.role().name().toLowerCase(Locale.ROOT));
        }
    }

    /** The result of an add: whether the account was new to the course. */
    public record Added(MemberView member, boolean created) {
    }

    public Page<MemberView> list(Caller caller, String courseId, String role, Page.Request page) {
        courses.require(caller, courseId, "members");
        Policy.Membership filter = role == null || role.isBlank() ? null : membership("role", role);
        return Page.of(repository.members(courseId, filter, page), page, CourseRepository.Member::accountId).map(MemberView::of);
    }

    public Added add(Caller caller, String courseId, NewMember body) {
        Course c = courses.require(caller, courseId, "members").course();
        Fields.required("body", body);
        String username = Fields.requiredText("username", body.username(), 64);
        Policy.Membership role = membership("role", Fields.required("role", body.role()));
        Account account = accounts.findByUsername(username)
                .orElseThrow(() -> ApiException.invalid("username", "no user named '" + username + "'"));
        if (role == Policy.Membership.INSTRUCTOR) {
            policy.requireMayTeach(account.role(), username);
        }
        Policy.Membership before = repository.putMember(courseId, account.id(), role, clock.millis());
        if (before != role) {
            audit.courseAction(caller, "course-member-add", courseId, c.code(), username + " as " + role.name().toLowerCase(Locale.ROOT));
        }
        return new Added(new MemberView(account.id(), account.username(), null, null, role.name().toLowerCase(Locale.ROOT)),
                before == Policy.Membership.NONE);
    }

    public void remove(Caller caller, String courseId, String accountId) {
        Course c = courses.require(caller, courseId, "members").course();
        if (!repository.removeMember(courseId, accountId)) {
            throw ApiException.notFound("member", accountId);
        }
        audit.courseAction(caller, "course-member-remove", courseId, c.code(), "account " + accountId);
    }

    static Policy.Membership membership(String field, String role) {
        return switch (role) {
            case "student" -> Policy.Membership.STUDENT;
            case "instructor" -> Policy.Membership.INSTRUCTOR;
            default -> throw ApiException.invalid(field, "must be one of instructor, student");
        };
    }
}
