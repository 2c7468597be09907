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
        if (accounts.count() > 0) {
            return;
        }
        String password = config.adminPassword().orElse(null);
        Path file = Path.of(dataDir, "admin-password");
        if (password == null) {
            password = Secrets.randomToken("").substring(0, 20);
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, password + "\n");
            LOG.infof("Created the admin account. Username: admin  Password: %s  (also in %s)", password, file.toAbsolutePath());
        } else {
            LOG.info("Created the admin account with the password from LAB_ADMIN_PASSWORD");
        }
        Account admin = service.createAccount("admin", password, Role.ADMIN);
        firstStart.fire(new FirstStart(admin.id()));
    }
}
