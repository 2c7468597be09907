package org.labcontroller.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.labcontroller.storage.Database;
import org.labcontroller.storage.Sql;

/**
 * Stores login sessions by the hash of their cookie value, in the database so that every replica
 * accepts a session another replica created.
 */
@ApplicationScoped
public class SessionRepository {
    @Inject
    Database db;

    public void insert(String tokenHash, String accountId, long createdAt, long expiresAt) {
        db.run(c -> Sql.update(c, "INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                tokenHash, accountId, createdAt, expiresAt));
    }

    /** The account of a live session. */
    public Optional<String> accountOf(String tokenHash, long now) {
        return db.run(c -> Sql.one(c, "SELECT account_id FROM sessions WHERE token_hash = ? AND expires_at > ?",
                rs -> rs.getString(1), tokenHash, now));
    }

    public void delete(String tokenHash) {
        db.run(c -> Sql.update(c, "DELETE FROM sessions WHERE token_hash = ?", tokenHash));
    }

    /** Ends every session of an account except one (after a password change). */
    public void deleteOthers(String accountId, String keepHash) {
        db.run(c -> Sql.update(c, "DELETE FROM sessions WHERE account_id = ? AND token_hash <> ?",
                accountId, keepHash == null ? "" : keepHash));
    }

    /** Ends every session of an account. */
    public void deleteAll(String accountId) {
        db.run(c -> Sql.update(c, "DELETE FROM sessions WHERE account_id = ?", accountId));
    }

    public int deleteExpired(long now) {
        return db.run(c -> Sql.update(c, "DELETE FROM sessions WHERE expires_at <= ?", now));
    }
}
