package org.labcontroller.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Clock;
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
    @Inject
    TokenRepository tokens;
    @Inject
    LoginThrottle throttle;
    @Inject
    Clock clock;
    @Inject
    Event<AccountEvent> events;

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
        Account a = createAccount(body.username(), body.password(), Fields.required("role", body.role()));
        events.fire(AccountEvent.by(caller, "user-create", "user " + a.id() + " '" + a.username() + "' as " + a.role().json()));
        return UserView.of(a);
    }

    /** Creates an account without a caller: used by the first-start bootstrap only. */
    Account createAccount(String username, String password, Role role) {
        Fields.matches("username", Fields.required("username", username), USERNAME,
                "must be 2-64 characters of lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
        checkPassword("password", password);
        long now = clock.millis();
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

    /** Whether a username is one {@link #create} accepts; rosters check their rows with it. */
    public static boolean validUsername(String username) {
        return username != null && USERNAME.matcher(username).matches();
    }

    public Page<UserView> list(Caller caller, Page.Request page) {
        policy.requireAdmin(caller);
        return Page.of(accounts.page(page), page, Account::id).map(UserView::of);
    }

    public UserView get(Caller caller, String id) {
        policy.requireAdmin(caller);
        return UserView.of(find(id));
    }

    /**
     * Changes a user's role or resets their password. Either ends all the user's sessions and
     * revokes all their API tokens, so credentials issued under the old role or password stop working.
     */
    public UserView update(Caller caller, String id, UserPatch patch) {
        policy.requireAdmin(caller);
        Fields.required("body", patch);
        Account a = find(id);
        String hash = null;
        if (patch.password() != null) {
            checkPassword("password", patch.password());
            hash = secrets.hashPassword(patch.password());
        }
        long now = clock.millis();
        boolean roleChanges = patch.role() != null && patch.role() != a.role();
        if (roleChanges) {
            switch (accounts.changeRole(id, patch.role(), now)) {
                case MISSING -> throw ApiException.notFound("user", id);
                case LAST_ADMIN -> throw ApiException.conflict("The last admin cannot lose the admin role");
                case DONE -> events.fire(AccountEvent.by(caller, "role-change",
                        "user " + id + " '" + a.username() + "' " + a.role().json() + " -> " + patch.role().json()));
            }
        }
        if (hash != null) {
            if (!accounts.changePassword(id, hash, now)) {
                throw ApiException.notFound("user", id);
            }
            events.fire(AccountEvent.by(caller, "password-reset", "user " + id + " '" + a.username() + "'"));
        }
        if (roleChanges || hash != null) {
            revokeCredentials(id);
        }
        return UserView.of(find(id));
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
        switch (accounts.delete(id)) {
            case MISSING -> throw ApiException.notFound("user", id);
            case LAST_ADMIN -> throw ApiException.conflict("The last admin cannot be deleted");
            case DONE -> events.fire(AccountEvent.by(caller, "user-delete", "user " + id + " '" + a.username() + "'"));
        }
    }

    /**
     * Changes the caller's own password after checking the current one; ends their other sessions.
     * Wrong current passwords count against the account in the login throttle.
     */
    public void changeOwnPassword(Caller caller, String current, String next, String keepSessionHash) {
        Fields.required("currentPassword", current);
        checkPassword("newPassword", next);
        Account a = find(caller.id());
        LoginThrottle.Attempt attempt = throttle.reserve(throttle.account(a.username()));
        boolean fits = Secrets.fitsBcrypt(current);
        boolean right = false;
        try {
            right = fits && secrets.verifyPassword(current, a.passwordHash());
        } finally {
            if (right) {
                attempt.release();
            } else {
                attempt.fail();
            }
        }
        if (!fits) {
            throw ApiException.invalid("currentPassword", "must be at most " + Secrets.MAX_PASSWORD_BYTES + " bytes (bcrypt's limit)");
        }
        if (!right) {
            throw ApiException.invalid("currentPassword", "is not your current password");
        }
        accounts.changePassword(a.id(), secrets.hashPassword(next), clock.millis());
        sessions.deleteOthers(a.id(), keepSessionHash);
        events.fire(AccountEvent.by(caller, "password-change", "user " + a.id() + " '" + a.username() + "'"));
    }

    private void revokeCredentials(String id) {
        sessions.deleteAll(id);
        tokens.deleteAll(id);
    }

    private Account find(String id) {
        return accounts.find(id).orElseThrow(() -> ApiException.notFound("user", id));
    }

    static void checkPassword(String field, String password) {
        Fields.required(field, password);
        if (password.length() < 8) {
            throw ApiException.invalid(field, "must be at least 8 characters");
        }
        if (!Secrets.fitsBcrypt(password)) {
            throw ApiException.invalid(field, "must be at most " + Secrets.MAX_PASSWORD_BYTES + " bytes (bcrypt's limit)");
        }
    }
}
