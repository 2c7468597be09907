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

    /** How a change guarded by the last-admin rule ended. */
    public enum Change { DONE, MISSING, LAST_ADMIN }

    public boolean changePassword(String id, String hash, long now) {
        return db.run(c -> Sql.update(c, "UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?",
                hash, now, id)) > 0;
    }

    /** Changes a role unless that would leave no admin. */
    public Change changeRole(String id, Role role, long now) {
        return keepingAnAdmin(id, role == Role.ADMIN, c ->
                Sql.update(c, "UPDATE accounts SET role = ?, updated_at = ? WHERE id = ?", role, now, id));
    }

    /** Deletes an account unless it is the last admin. */
    public Change delete(String id) {
        return keepingAnAdmin(id, false, c -> Sql.update(c, "DELETE FROM accounts WHERE id = ?", id));
    }

    private Change keepingAnAdmin(String id, boolean staysAdmin, Sql.Work<Integer> change) {
        return db.inTransaction(c -> {
            // NOTE: the first statement writes the 'admins' lock row (V4): on PostgreSQL its row lock
            // queues every change that could remove an admin, on SQLite the write lock queues all
            // writers (a write first never meets SQLITE_BUSY_SNAPSHOT). The count below then sees
            // every change committed before, so two admins demoting each other cannot both win.
            Sql.update(c, "UPDATE locks SET version = version + 1 WHERE name = 'admins'");
            Optional<Role> current = Sql.one(c, "SELECT role FROM accounts WHERE id = ?",
                    rs -> Role.valueOf(rs.getString(1)), id);
            if (current.isEmpty()) {
                return Change.MISSING;
            }
            if (current.get() == Role.ADMIN && !staysAdmin
                    && Sql.count(c, "SELECT COUNT(*) FROM accounts WHERE role = ?", Role.ADMIN) <= 1) {
                return Change.LAST_ADMIN;
            }
            change.run(c);
            return Change.DONE;
        });
    }

    public long count() {
        return db.run(c -> Sql.count(c, "SELECT COUNT(*) FROM accounts"));
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
