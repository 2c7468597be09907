package org.labcontroller.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.ErrorCode;
import org.labcontroller.problem.Fields;

/** Logins and sessions: turns a username and password into a session, throttled against guessing. */
@ApplicationScoped
public class LoginService {
    @Inject
    AccountRepository accounts;
    @Inject
    SessionRepository sessions;
    @Inject
    Secrets secrets;
    @Inject
    LoginThrottle throttle;
    @Inject
    AuthConfig config;
    @Inject
    Clock clock;
    @Inject
    Event<AccountEvent> events;

    /** A new session: its cookie value, shown to the client once. */
    public record Session(String cookieValue, long expiresAt) {
    }

    /**
     * Checks the credentials and opens a session. The attempt is reserved in the throttle before
     * the bcrypt check runs and released only when the password was right.
     */
    public Session login(String username, String password, String address) {
        Fields.requiredText("username", username, 64);
        Fields.required("password", password);
        LoginThrottle.Attempt attempt = throttle.reserve(throttle.account(username), throttle.address(address));
        Optional<Account> account;
        boolean right;
        boolean fits = Secrets.fitsBcrypt(password);
        try {
            account = accounts.findByUsername(username);
            right = fits && secrets.verifyPassword(password, account.map(Account::passwordHash).orElse(null));
        } catch (RuntimeException e) {
            attempt.fail(); // whatever went wrong, the slot stays counted
            throw e;
        }
        if (!fits) {
            throw refused(attempt, account, username, address, "password longer than bcrypt's limit",
                    ApiException.invalid("password", "must be at most " + Secrets.MAX_PASSWORD_BYTES + " bytes (bcrypt's limit)"));
        }
        if (!right) {
            throw refused(attempt, account, username, address, "wrong username or password",
                    new ApiException(ErrorCode.UNAUTHENTICATED, "Wrong username or password"));
        }
        attempt.release();
        throttle.reset(throttle.account(username).key());
        long now = clock.millis();
        String value = Secrets.randomToken("");
        long expires = now + config.sessionTtl().toMillis();
        sessions.insert(Secrets.sha256(value), account.get().id(), now, expires);
        sessions.deleteExpired(now);
        return new Session(value, expires);
    }

    /** Counts the attempt as failed, audits it under the attempted username and answers the problem to throw. */
    private ApiException refused(LoginThrottle.Attempt attempt, Optional<Account> account, String username, String address,
            String reason, ApiException problem) {
        attempt.fail();
        events.fire(new AccountEvent(account.map(Account::id).orElse("unknown"), username, "login-failure", address, reason));
        return problem;
    }

    public void logout(String sessionHash) {
        if (sessionHash != null) {
            sessions.delete(sessionHash);
        }
    }
}
