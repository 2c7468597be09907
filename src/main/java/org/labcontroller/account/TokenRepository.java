package org.labcontroller.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.labcontroller.storage.Database;
import org.labcontroller.storage.Page;
import org.labcontroller.storage.Sql;

/** Stores personal API tokens by the hash of their secret. */
@ApplicationScoped
public class TokenRepository {
    private static final String COLUMNS = "id, name, prefix, created_at, expires_at, last_used_at";

    @Inject
    Database db;

    /**
     * Inserts the token unless the account holds {@code cap} tokens already; false when it does.
     */
    public boolean insertUnderCap(String accountId, ApiToken t, String tokenHash, int cap) {
        return db.inTransaction(c -> {
            // NOTE: the first statement writes the owner's account row: on PostgreSQL its row lock
            // queues concurrent creates of the same account, on SQLite the write lock queues every
            // writer (a write first never meets SQLITE_BUSY_SNAPSHOT). The count then sees every
            // token committed before, so the cap holds under parallel creates.
            Sql.update(c, "UPDATE accounts SET updated_at = updated_at WHERE id = ?", accountId);
            if (Sql.count(c, "SELECT COUNT(*) FROM api_tokens WHERE account_id = ?", accountId) >= cap) {
                return false;
            }
            Sql.update(c, "INSERT INTO api_tokens (id, account_id, name, token_hash, prefix, created_at, expires_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)", t.id(), accountId, t.name(), tokenHash, t.prefix(),
                    t.createdAt().toEpochMilli(), t.expiresAt() == null ? null : t.expiresAt().toEpochMilli());
            return true;
        });
    }

    public List<ApiToken> page(String accountId, Page.Request page) {
        return db.run(c -> Sql.list(c, "SELECT " + COLUMNS + " FROM api_tokens WHERE account_id = ? AND id > ? ORDER BY id LIMIT ?",
                TokenRepository::map, accountId, page.afterId(), page.fetch()));
    }

    /** The account of a live token, noting its use. */
    public Optional<String> accountOf(String tokenHash, long now) {
        return db.run(c -> {
            Optional<String> account = Sql.one(c, "SELECT account_id FROM api_tokens WHERE token_hash = ?"
                    + " AND (expires_at IS NULL OR expires_at > ?)", rs -> rs.getString(1), tokenHash, now);
            if (account.isPresent()) {
                // Written at most once a minute per token, so busy API clients do not turn reads into writes.
                Sql.update(c, "UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?"
                        + " AND (last_used_at IS NULL OR last_used_at < ?)", now, tokenHash, now - 60_000);
            }
            return account;
        });
    }

    public boolean delete(String accountId, String id) {
        return db.run(c -> Sql.update(c, "DELETE FROM api_tokens WHERE account_id = ? AND id = ?", accountId, id)) > 0;
    }

    /** Revokes every token of an account (its password was reset or its role changed). */
    public int deleteAll(String accountId) {
        return db.run(c -> Sql.update(c, "DELETE FROM api_tokens WHERE account_id = ?", accountId));
    }

    private static ApiToken map(ResultSet rs) throws SQLException {
        return new ApiToken(rs.getString("id"), rs.getString("name"), rs.getString("prefix"),
                Instant.ofEpochMilli(rs.getLong("created_at")), instant(Sql.nullableLong(rs, "expires_at")),
                instant(Sql.nullableLong(rs, "last_used_at")));
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
