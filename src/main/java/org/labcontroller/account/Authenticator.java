package org.labcontroller.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;

/**
 * Resolves a caller from a session cookie value or a bearer token. Both the REST filter and the
 * stream endpoints use it, so a request and a websocket upgrade authenticate the same way.
 */
@ApplicationScoped
public class Authenticator {
    static final String TOKEN_PREFIX = "lct_";

    @Inject
    SessionRepository sessions;
    @Inject
    TokenRepository tokens;
    @Inject
    AccountRepository accounts;
    @Inject
    Clock clock;

    /** The caller of a bearer token, or empty when it is unknown, expired or revoked. */
    public Optional<Caller> fromBearer(String token) {
        if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        return tokens.accountOf(Secrets.sha256(token), clock.millis())
                .flatMap(accounts::find).map(Account::caller);
    }

    /** The caller of a session cookie value, or empty when it is unknown or expired. */
    public Optional<Caller> fromSession(String cookieValue) {
        if (cookieValue == null || cookieValue.length() > 200) {
            return Optional.empty();
        }
        return sessions.accountOf(Secrets.sha256(cookieValue), clock.millis())
                .flatMap(accounts::find).map(Account::caller);
    }

    /**
     * The caller a credential stands for now (its account's current role), or empty once the
     * session ended or expired or the token was revoked or expired.
     */
    public Optional<Caller> current(Credential credential) {
        long now = clock.millis();
        Optional<String> account = credential.bearer() ? tokens.accountOf(credential.hash(), now)
                : sessions.accountOf(credential.hash(), now);
        return account.flatMap(accounts::find).map(Account::caller);
    }

    /** Bearer token from an Authorization header value, or null. */
    public static String bearer(String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return null;
    }
}
