package org.labcontroller.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of accounts, sessions and login protection. */
@ConfigMapping(prefix = "lab.auth")
public interface AuthConfig {

    /** bcrypt cost factor of password hashes (each step doubles the work). */
    @WithDefault("12")
    int bcryptCost();

    /** How long a login session lasts. */
    @WithDefault("12h")
    Duration sessionTtl();

    /** Name of the session cookie. */
    @WithDefault("lab_session")
    String cookieName();

    /** Whether the session cookie carries the Secure flag (turn off only for plain-HTTP testing). */
    @WithDefault("true")
    boolean cookieSecure();

    /** Failed logins allowed per account within the login window. */
    @WithDefault("5")
    int loginMaxFailures();

    /** Failed logins allowed per client address within the login window (a classroom shares one address). */
    @WithDefault("30")
    int loginMaxFailuresPerAddress();

    /** The window in which failed logins are counted; a blocked login may retry after it. */
    @WithDefault("5m")
    Duration loginWindow();

    /** Lifetime of an API token created without {@code expiresInDays}. */
    @WithDefault("90d")
    Duration tokenDefaultLifetime();

    /** How long a one-time set-password link (made for an account created from a course roster) stays valid. */
    @WithDefault("7d")
    Duration setPasswordLinkLifetime();

    /**
     * Password of the first admin account, from {@code LAB_ADMIN_PASSWORD} (see application.properties);
     * a random one is generated and stored when unset.
     */
    Optional<String> adminPassword();
}
