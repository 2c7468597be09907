package org.labcontroller.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.Fields;
import org.labcontroller.storage.Ids;
import org.labcontroller.storage.Page;

/**
 * Personal API tokens: a caller's own, and any user's for admins, who must be able to see and cut
 * off a user's scripts. Every token expires; the cap per account is enforced by the database.
 */
@ApplicationScoped
public class TokenService {
    /** Tokens one account may hold. */
    static final int CAP = 50;

    @Inject
    TokenRepository tokens;
    @Inject
    AccountRepository accounts;
    @Inject
    Policy policy;
    @Inject
    AuthConfig config;
    @Inject
    Clock clock;
    @Inject
    Event<AccountEvent> events;

    public record NewToken(String name, Integer expiresInDays) {
    }

    public record CreatedToken(String id, String name, String token, String prefix, Instant expiresAt) {
    }

    public CreatedToken create(Caller caller, NewToken body) {
        Fields.required("body", body);
        String name = Fields.requiredText("name", body.name(), 100);
        if (body.expiresInDays() != null) {
            Fields.range("expiresInDays", body.expiresInDays(), 1, 3650);
        }
        String secret = Secrets.randomToken(Authenticator.TOKEN_PREFIX);
        long now = clock.millis();
        long lifetime = body.expiresInDays() == null ? config.tokenDefaultLifetime().toMillis()
                : body.expiresInDays() * 86_400_000L;
        ApiToken token = new ApiToken(Ids.newId(), name, secret.substring(0, 10), Instant.ofEpochMilli(now),
                Instant.ofEpochMilli(now + lifetime), null);
        if (!tokens.insertUnderCap(caller.id(), token, Secrets.sha256(secret), CAP)) {
            throw ApiException.conflict("You have " + CAP + " tokens already; delete one first");
        }
        events.fire(AccountEvent.by(caller, "token-create", "token " + token.id() + " '" + name + "' of user " + caller.id()));
        return new CreatedToken(token.id(), name, secret, token.prefix(), token.expiresAt());
    }

    public Page<ApiToken> list(Caller caller, Page.Request page) {
        return Page.of(tokens.page(caller.id(), page), page, ApiToken::id);
    }

    public void delete(Caller caller, String id) {
        revoke(caller, caller.id(), id);
    }

    /** An admin's view of another user's tokens; a missing user answers 404. */
    public Page<ApiToken> listOf(Caller caller, String userId, Page.Request page) {
        policy.requireAdmin(caller);
        accounts.find(userId).orElseThrow(() -> ApiException.notFound("user", userId));
        return Page.of(tokens.page(userId, page), page, ApiToken::id);
    }

    /** An admin revokes one of a user's tokens; a token of another user answers like a missing one. */
    public void revokeOf(Caller caller, String userId, String tokenId) {
        policy.requireAdmin(caller);
        revoke(caller, userId, tokenId);
    }

    private void revoke(Caller caller, String userId, String tokenId) {
        if (!tokens.delete(userId, tokenId)) {
            throw ApiException.notFound("token", tokenId);
        }
        events.fire(AccountEvent.by(caller, "token-revoke", "token " + tokenId + " of user " + userId));
    }
}
