package org.labcontroller.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.Fields;
import org.labcontroller.storage.DataAccessException;
import org.labcontroller.storage.Ids;
import org.labcontroller.storage.Page;
import org.labcontroller.storage.Sql;

/** Creates, changes and removes accounts, with the checks every path to them shares. */
@ApplicationScoped
public class AccountService {
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");

    @Inject
    AccountRepository accounts;
    @Inject
    SessionRepository sessions;
    @Inject
    Secrets secrets;
    @Inject
    Policy policy;

    /** Request bodies. */
    public record NewUser(String username, String password, Role role) {
    }

    public record UserPatch(String password, Role role) {
    }

    public record UserView(String id, String username, Role role, java.time.Instant createdAt, java.time.Instant updatedAt) {
        static UserView of(Account a) {
            return new UserView(a.id(), a.username(), a.role(), java.time.Instant.ofEpochMilli(a.createdAt()),
                    java.time.Instant.ofEpochMilli(a.updatedAt()));
        }
    }

    public UserView create(Caller caller, NewUser body) {
        policy.requireAdmin(caller);
        Fields.required("body", body);
        return UserView.of(createAccount(body.username(), body.password(), Fields.required("role", body.role())));
    }

    /** Creates an account without a caller: used by the first-start bootstrap only. */
    Account createAccount(String username, String password, Role role) {
        Fields.matches("username", Fields.required("username", username), USERNAME,
                "must be 2-64 characters of lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
        checkPassword("password", password);
        long now = System.currentTimeMillis();
        Account account = new Account(Ids.newId(), username, secrets.hashPassword(password), role, now, now);
        try {
            accounts.insert(account);
        } catch (DataAccessException e) {
            if (Sql.isUniqueViolation(e.sqlException())) {
                throw ApiException.conflict("The username '" + username + "' is taken");
            }
            throw e;
        }
        return account;
    }

    public Page<UserView> list(Caller caller, Page.Request page) {
        policy.requireAdmin(caller);
        return Page.of(accounts.page(page), page, Account::id).map(UserView::of);
    }

    public UserView get(Caller caller, String id) {
        policy.requireAdmin(caller);
        return UserView.of(find(id));
    }

    public UserView update(Caller caller, String id, UserPatch patch) {
        policy.requireAdmin(caller);
        Fields.required("body", patch);
        Account a = find(id);
        if (patch.role() != null && a.role() == Role.ADMIN && patch.role() != Role.ADMIN && accounts.countAdmins() <= 1) {
            throw ApiException.conflict("The last admin cannot lose the admin role");
        }
        String hash = a.passwordHash();
        if (patch.password() != null) {
            checkPassword("password", patch.password());
            hash = secrets.hashPassword(patch.password());
        }
        Account changed = new Account(a.id(), a.username(), hash, patch.role() == null ? a.role() : patch.role(),
                a.createdAt(), System.currentTimeMillis());
        accounts.update(changed);
        if (patch.password() != null) {
            sessions.deleteOthers(a.id(), null);
        }
        return UserView.of(changed);
    }

    public void delete(Caller caller, String id) {
        policy.requireAdmin(caller);
        Account a = find(id);
        if (a.id().equals(caller.id())) {
            throw ApiException.conflict("You cannot delete your own account");
        }
        long owned = accounts.ownedObjects(id);
        if (owned > 0) {
            throw ApiException.conflict("The user still owns " + owned + " labs or templates; delete or hand them over first");
        }
        accounts.delete(id);
    }

    /** Changes the caller's own password after checking the current one; ends their other sessions. */
    public void changeOwnPassword(Caller caller, String current, String next, String keepSessionHash) {
        Account a = find(caller.id());
        if (!secrets.verifyPassword(Fields.required("currentPassword", current), a.passwordHash())) {
            throw ApiException.invalid("currentPassword", "is not your current password");
        }
        checkPassword("newPassword", next);
        accounts.update(new Account(a.id(), a.username(), secrets.hashPassword(next), a.role(), a.createdAt(),
                System.currentTimeMillis()));
        sessions.deleteOthers(a.id(), keepSessionHash);
    }

    private Account find(String id) {
        return accounts.find(id).orElseThrow(() -> ApiException.notFound("user", id));
    }

    private static void checkPassword(String field, String password) {
        Fields.required(field, password);
        if (password.length() < 8) {
            throw ApiException.invalid(field, "must be at least 8 characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > 72) {
            throw ApiException.invalid(field, "must be at most 72 bytes (bcrypt's limit)");
        }
    }
}
