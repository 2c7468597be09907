package org.labcontroller.account;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.labcontroller.problem.ApiException;

/**
 * On the very first start (no accounts yet) creates the {@code admin} account, with the password
 * from {@code LAB_ADMIN_PASSWORD} or a random one that is printed once and kept in a 0600 file in
 * the data directory, then announces {@link FirstStart} so other features can seed their data.
 */
@ApplicationScoped
public class AdminBootstrap {
    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    /** Fired once, on the first start of a new installation, after the admin account exists. */
    public record FirstStart(String adminId) {
    }

    @Inject
    AccountRepository accounts;
    @Inject
    AccountService service;
    @Inject
    AuthConfig config;
    @Inject
    Event<FirstStart> firstStart;
    @ConfigProperty(name = "lab.data-dir")
    String dataDir;

    void onStart(@Observes StartupEvent event) throws IOException {
        if (accounts.count() == 0) {
            createFirstAdmin();
        }
    }

    /** Creates the admin unless another controller just did; only the winner writes and logs a password. */
    void createFirstAdmin() throws IOException {
        String configured = config.adminPassword().orElse(null);
        String password = configured != null ? configured : Secrets.randomToken("").substring(0, 20);
        Account admin;
        try {
            admin = service.createAccount("admin", password, Role.ADMIN);
        } catch (ApiException taken) {
            // NOTE: two replicas starting on one empty database both get here; the username's unique
            // key lets one win. The other carries on, and tells nothing of a password it never set.
            LOG.info("Another controller created the admin account first");
            return;
        }
        if (configured == null) {
            Path file = Path.of(dataDir, "admin-password");
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, password + "\n");
            LOG.infof("Created the admin account. Username: admin  Password: %s  (also in %s)", password, file.toAbsolutePath());
        } else {
            LOG.info("Created the admin account with the password from LAB_ADMIN_PASSWORD");
        }
        firstStart.fire(new FirstStart(admin.id()));
    }
}
