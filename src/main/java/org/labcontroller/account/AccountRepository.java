package org.labcontroller.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.labcontroller.storage.Database;
import org.labcontroller.storage.Page;
import org.labcontroller.storage.Sql;

/** Stores accounts. */
@ApplicationScoped
public class AccountRepository {
    private static final String COLUMNS = "id, username, password_hash, role, created_at, updated_at";

    @Inject
    Database db;

    public void insert(Account a) {
        db.run(c -> Sql.update(c, "INSERT INTO accounts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
                a.id(), a.username(), a.passwordHash(), a.role(), a.createdAt(), a.updatedAt()));
    }

    public Optional<Account> find(String id) {
        return db.run(c -> Sql.one(c, "SELECT " + COLUMNS + " FROM accounts WHERE id = ?", AccountRepository::map, id));
    }

    public Optional<Account> findByUsername(String username) {
        return db.run(c -> Sql.one(c, "SELECT " + COLUMNS + " FROM accounts WHERE username = ?",
                AccountRepository::map, username));
    }

    public List<Account> page(Page.Request page) {
        return db.run(c -> Sql.list(c, "SELECT " + COLUMNS + " FROM accounts WHERE id > ? ORDER BY id LIMIT ?",
                AccountRepository::map, page.afterId(), page.fetch()));
    }

    public void update(Account a) {
        db.run(c -> Sql.update(c, "UPDATE accounts SET username = ?, password_hash = ?, role = ?, updated_at = ? WHERE id = ?",
                a.username(), a.passwordHash(), a.role(), a.updatedAt(), a.id()));
    }

    public boolean delete(String id) {
        return db.run(c -> Sql.update(c, "DELETE FROM accounts WHERE id = ?", id)) > 0;
    }

    public long count() {
        return db.run(c -> Sql.count(c, "SELECT COUNT(*) FROM accounts"));
    }

    public long countAdmins() {
        return db.run(c -> Sql.count(c, "SELECT COUNT(*) FROM accounts WHERE role = ?", Role.ADMIN));
    }

    /** Labs and templates the account owns; it cannot be deleted while it owns any. */
    public long ownedObjects(String id) {
        return db.run(c -> Sql.count(c, "SELECT (SELECT COUNT(*) FROM labs WHERE owner_id = ?)"
                + " + (SELECT COUNT(*) FROM templates WHERE owner_id = ?)", id, id));
    }

    private static Account map(ResultSet rs) throws SQLException {
        return new Account(rs.getString("id"), rs.getString("username"), rs.getString("password_hash"),
                Role.valueOf(rs.getString("role")), rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
