package org.labcontroller.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.ErrorCode;
import org.labcontroller.problem.Fields;
import org.labcontroller.storage.Ids;
import org.labcontroller.storage.Page;

/** Logins, sessions and personal API tokens. */
@ApplicationScoped
public class LoginService {
    @Inject
    AccountRepository accounts;
    @Inject
    SessionRepository sessions;
    @Inject
    TokenRepository tokens;
    @Inject
    Secrets secrets;
    @Inject
    LoginThrottle throttle;
    @Inject
    AuthConfig config;

    /** A new session: its cookie value, shown to the client once. */
    public record Session(String cookieValue, long expiresAt) {
    }

    public record NewToken(String name, Integer expiresInDays) {
    }

    public record CreatedToken(String id, String name, String token, String prefix, java.time.Instant expiresAt) {
    }

    public Session login(String username, String password, String address) {
        Fields.required("username", username);
        Fields.required("password", password);
        long now = System.currentTimeMillis();
        String userKey = "user:" + username;
        String addressKey = "address:" + address;
        long wait = Math.max(throttle.retryAfterSeconds(userKey, config.loginMaxFailures(), now),
                throttle.retryAfterSeconds(addressKey, config.loginMaxFailuresPerAddress(), now));
        if (wait > 0) {
            throw ApiException.tooManyRequests("Too many failed logins; try again in " + wait + " seconds", wait);
        }
        var account = accounts.findByUsername(username);
        if (!secrets.verifyPassword(password, account.map(Account::passwordHash).orElse(null))) {
            throttle.recordFailure(userKey, now);
            throttle.recordFailure(addressKey, now);
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "Wrong username or password");
        }
        throttle.reset(userKey);
        String value = Secrets.randomToken("");
        long expires = now + config.sessionTtl().toMillis();
        sessions.insert(Secrets.sha256(value), account.get().id(), now, expires);
        sessions.deleteExpired(now);
        return new Session(value, expires);
    }

    public void logout(String sessionHash) {
        if (sessionHash != null) {
            sessions.delete(sessionHash);
        }
    }

    public CreatedToken createToken(Caller caller, NewToken body) {
        Fields.required("body", body);
        String name = Fields.requiredText("name", body.name(), 100);
        if (body.expiresInDays() != null) {
            Fields.range("expiresInDays", body.expiresInDays(), 1, 3650);
        }
        if (tokens.count(caller.id()) >= 50) {
            throw ApiException.conflict("You have 50 tokens already; delete one first");
        }
        String secret = Secrets.randomToken(Authenticator.TOKEN_PREFIX);
        long now = System.currentTimeMillis();
        Long expires = body.expiresInDays() == null ? null : now + body.expiresInDays() * 86_400_000L;
        ApiToken token = new ApiToken(Ids.newId(), name, secret.substring(0, 10), java.time.Instant.ofEpochMilli(now),
                expires == null ? null : java.time.Instant.ofEpochMilli(expires), null);
        tokens.insert(caller.id(), token, Secrets.sha256(secret));
        return new CreatedToken(token.id(), name, secret, token.prefix(), token.expiresAt());
    }

    public Page<ApiToken> listTokens(Caller caller, Page.Request page) {
        return Page.of(tokens.page(caller.id(), page), page, ApiToken::id);
    }

    public void deleteToken(Caller caller, String id) {
        if (!tokens.delete(caller.id(), id)) {
            throw ApiException.notFound("token", id);
        }
    }
}
