package org.labcontroller.account;

import at.favre.lib.crypto.bcrypt.BCrypt;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Hashing and generating of secrets. Passwords get bcrypt (slow, salted); session and API tokens
 * are 256-bit random values, so a SHA-256 of them is enough to store and look them up.
 */
@ApplicationScoped
public class Secrets {
    /** bcrypt reads at most this many bytes of a password; longer ones are refused, not cut. */
    public static final int MAX_PASSWORD_BYTES = 72;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    AuthConfig config;

    /**
     * A hash of a random password at the configured cost, verified against when the account does
     * not exist, so an unknown username costs the same full bcrypt check as a known one.
     */
    private byte[] noSuchAccount;

    @PostConstruct
    void init() {
        noSuchAccount = BCrypt.withDefaults().hash(config.bcryptCost(), randomToken("x").toCharArray());
    }

    public String hashPassword(String password) {
        return BCrypt.withDefaults().hashToString(config.bcryptCost(), password.toCharArray());
    }

    /** Whether bcrypt can check the password at all (at most {@value #MAX_PASSWORD_BYTES} bytes). */
    public static boolean fitsBcrypt(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length <= MAX_PASSWORD_BYTES;
    }

    /** Checks a password that {@link #fitsBcrypt fits}; a null hash (no such account) costs a full check too. */
    public boolean verifyPassword(String password, String hash) {
        if (hash == null || !hash.startsWith("$2")) { // no account, or one without a password yet (Invitations)
            BCrypt.verifyer().verify(password.toCharArray(), noSuchAccount);
            return false;
        }
        return BCrypt.verifyer().verify(password.toCharArray(), hash.toCharArray()).verified;
    }

    /** The cost factor of the unknown-account hash ({@code $2a$NN$...}). */
    int noSuchAccountCost() {
        return Integer.parseInt(new String(noSuchAccount, StandardCharsets.US_ASCII).substring(4, 6));
    }

    public static String randomToken(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String sha256(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
