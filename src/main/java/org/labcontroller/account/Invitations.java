package org.labcontroller.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.Fields;
import org.labcontroller.storage.Database;
import org.labcontroller.storage.Ids;
import org.labcontroller.storage.Sql;

/**
 * Accounts made for someone who has no password yet (a new student on a course roster) and the
 * one-time links with which they set it. Exists so that a roster never mails or shows passwords:
 * the link's token is shown once, only its SHA-256 is stored, it expires
 * ({@code lab.auth.set-password-link-lifetime}) and is deleted when used.
 */
@ApplicationScoped
public class Invitations {
    /** The password hash of an account without a password: no bcrypt hash, so no password matches it. */
    static final String NO_PASSWORD = "!";

    @Inject
    Database db;
    @Inject
    AuthConfig config;
    @Inject
    Clock clock;
    @Inject
    Secrets secrets;
    @Inject
    SessionRepository sessions;
    @Inject
    TokenRepository tokens;
    @Inject
    Event<AccountEvent> events;

    /** A new account and the token of its set-password link, shown to the inviter once. */
    public record Invited(String accountId, String token) {
    }

    /**
     * Creates a student account without a password, and its link, on the caller's transaction (a
     * roster is applied in one). The username must be free and valid; the caller checked both.
     */
    public Invited invite(Connection c, String username, String displayName, String email, long now) throws SQLException {
        String id = Ids.newId();
        Sql.update(c, "INSERT INTO accounts (id, username, password_hash, role, created_at, updated_at, display_name, email)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, username, NO_PASSWORD, Role.STUDENT, now, now, displayName, email);
        String token = Secrets.randomToken("lsp_");
        Sql.update(c, "INSERT INTO password_links (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                Secrets.sha256(token), id, now, now + config.setPasswordLinkLifetime().toMillis());
        return new Invited(id, token);
    }

    /** The id of the account with this username, read on the caller's transaction. */
    public Optional<String> accountId(Connection c, String username) throws SQLException {
        return Sql.one(c, "SELECT id FROM accounts WHERE username = ?", rs -> rs.getString(1), username);
    }

    /** Sets the password of the link's account and uses the link up; ends the account's sessions and tokens. */
    public void setPassword(String token, String password) {
        Fields.requiredText("token", token, 200);
        AccountService.checkPassword("password", password);
        long now = clock.millis();
        String hash = secrets.hashPassword(password);
        Optional<String> account = db.inTransaction(c -> {
            Optional<String> id = Sql.one(c, "SELECT account_id FROM password_links WHERE token_hash = ? AND expires_at > ?",
                    rs -> rs.getString(1), Secrets.sha256(token), now);
            if (id.isPresent()) {
                Sql.update(c, "DELETE FROM password_links WHERE account_id = ?", id.get());
                Sql.update(c, "UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?", hash, now, id.get());
            }
            return id;
        });
        String id = account.orElseThrow(() -> ApiException.invalid("token", "is unknown, used or expired; ask your instructor for a new link"));
        sessions.deleteAll(id);
        tokens.deleteAll(id);
        events.fire(new AccountEvent(id, id, "password-set", null, "user " + id + " set their password with a one-time link"));
    }
}
