package org.labcontroller.template;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.labcontroller.account.Policy;
import org.labcontroller.runtime.Readiness;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.storage.Database;
import org.labcontroller.storage.Page;
import org.labcontroller.storage.Sql;

/** Stores templates; reads are filtered by the caller's scope in the query itself. */
@ApplicationScoped
public class TemplateRepository {
    private static final String COLUMNS = "id, name, description, owner_id, kernel, initrd, disk, cmdline, container_disk,"
            + " cpus, memory_mb, console, vnc, cloud_init, max_lifetime_minutes, offered, network, created_at, updated_at,"
            + " readiness, readiness_pattern, readiness_timeout_seconds, warm_pool";

    @Inject
    Database db;

    public void insert(Template t) {
        db.run(c -> Sql.update(c, "INSERT INTO templates (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values(t, true)));
    }

    public void update(Template t) {
        List<Object> args = new ArrayList<>(java.util.Arrays.asList(values(t, false)));
        args.add(t.id());
        db.run(c -> Sql.update(c, "UPDATE templates SET name = ?, description = ?, kernel = ?, initrd = ?, disk = ?,"
                + " cmdline = ?, container_disk = ?, cpus = ?, memory_mb = ?, console = ?, vnc = ?, cloud_init = ?,"
                + " max_lifetime_minutes = ?, offered = ?, network = ?, updated_at = ?, readiness = ?, readiness_pattern = ?,"
                + " readiness_timeout_seconds = ?, warm_pool = ? WHERE id = ?", args.toArray()));
    }

    public Optional<Template> find(String id, Policy.Scope scope) {
        List<Object> args = new ArrayList<>(List.of(id));
        String where = "id = ?" + scopeSql(scope, args);
        return db.run(c -> Sql.one(c, "SELECT " + COLUMNS + " FROM templates WHERE " + where, TemplateRepository::map, args.toArray()));
    }

    public List<Template> page(Policy.Scope scope, Page.Request page) {
        List<Object> args = new ArrayList<>(List.of(page.afterId()));
        String where = "id > ?" + scopeSql(scope, args);
        args.add(page.fetch());
        return db.run(c -> Sql.list(c, "SELECT " + COLUMNS + " FROM templates WHERE " + where + " ORDER BY id LIMIT ?",
                TemplateRepository::map, args.toArray()));
    }

    /** Every template that wants a warm pool, whoever owns it (the loop's own read, unscoped). */
    /** Every template, for the warm pools (a handful to a few hundred). */
    public List<Template> all() {
        return db.run(c -> Sql.list(c, "SELECT " + COLUMNS + " FROM templates ORDER BY id",
                TemplateRepository::map));
    }

    public boolean delete(String id) {
        return db.run(c -> Sql.update(c, "DELETE FROM templates WHERE id = ?", id)) > 0;
    }

    public long labCount(String id) {
        return db.run(c -> Sql.count(c, "SELECT COUNT(*) FROM labs WHERE template_id = ?", id));
    }

    private static String scopeSql(Policy.Scope scope, List<Object> args) {
        if (scope.all()) {
            return "";
        }
        if (scope.ownerId() == null) {
            return " AND offered = TRUE";
        }
        args.add(scope.ownerId());
        return " AND (owner_id = ? OR offered = TRUE)";
    }

    private static Object[] values(Template t, boolean insert) {
        VmImage i = t.image();
        List<Object> v = new ArrayList<>();
        if (insert) {
            v.add(t.id());
        }
        v.add(t.name());
        v.add(t.description());
        if (insert) {
            v.add(t.ownerId());
        }
        v.addAll(java.util.Arrays.asList(i.kernel(), i.initrd(), i.disk(), i.cmdline(), i.containerDisk(), t.cpus(),
                t.memoryMb(), t.console(), t.vnc(), t.cloudInit(), t.maxLifetimeMinutes(), t.offered(), t.network()));
        if (insert) {
            v.add(t.createdAt().toEpochMilli());
        }
        v.add(t.updatedAt().toEpochMilli());
        Readiness r = t.readiness();
        v.addAll(java.util.Arrays.asList(r.mode(), r.pattern(), r.timeoutSeconds(), t.warmPool()));
        return v.toArray();
    }

    private static Template map(ResultSet rs) throws SQLException {
        VmImage image = new VmImage(rs.getString("kernel"), rs.getString("initrd"), rs.getString("disk"),
                rs.getString("cmdline"), rs.getString("container_disk"));
        return new Template(rs.getString("id"), rs.getString("name"), rs.getString("description"), rs.getString("owner_id"),
                image, rs.getInt("cpus"), rs.getInt("memory_mb"), rs.getBoolean("console"), rs.getBoolean("vnc"),
                rs.getString("cloud_init"), rs.getInt("max_lifetime_minutes"), rs.getBoolean("offered"),
                rs.getString("network"), Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")),
                new Readiness(rs.getString("readiness"), rs.getString("readiness_pattern"), rs.getInt("readiness_timeout_seconds")),
                rs.getInt("warm_pool"));
    }
}
