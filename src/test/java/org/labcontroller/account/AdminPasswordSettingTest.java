package org.labcontroller.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The first admin's password comes from {@code LAB_ADMIN_PASSWORD}, as the README says: resolved
 * through the application's own application.properties and the typed {@link AuthConfig}, with
 * environment variables as the controller sees them.
 */
class AdminPasswordSettingTest {

    private static Optional<String> adminPassword(Map<String, String> env) throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(AdminPasswordSettingTest.class.getResource("/application.properties"), 250))
                .withSources(new EnvConfigSource(env, 300))
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(AuthConfig.class)
                .build();
        return config.getConfigMapping(AuthConfig.class).adminPassword();
    }

    @Test
    void labAdminPasswordSetsTheFirstAdminsPassword() throws IOException {
        assertEquals(Optional.of("from-the-readme"), adminPassword(Map.of("LAB_ADMIN_PASSWORD", "from-the-readme")));
    }

    @Test
    void withoutAnyVariableThePasswordIsUnsetAndOneIsGenerated() throws IOException {
        assertEquals(Optional.empty(), adminPassword(Map.of()));
    }

    @Test
    void theSettingsOwnVariableStillWorksAndWins() throws IOException {
        assertEquals(Optional.of("explicit"), adminPassword(Map.of("LAB_AUTH_ADMIN_PASSWORD", "explicit")));
        assertEquals(Optional.of("explicit"), adminPassword(Map.of("LAB_AUTH_ADMIN_PASSWORD", "explicit",
                "LAB_ADMIN_PASSWORD", "from-the-readme")));
    }
}
