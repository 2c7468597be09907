package org.labcontroller.account;

import at.favre.lib.crypto.bcrypt.BCrypt;
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
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A bcrypt hash of a random password: verified against when the account does not exist, to even out timing. */
    private static final byte[] NO_SUCH_ACCOUNT = BCrypt.withDefaults().hash(4, randomToken("x").toCharArray());

    @Inject
    AuthConfig config;

    public String hashPassword(String password) {
        return BCrypt.withDefaults().hashToString(config.bcryptCost(), password.toCharArray());
    }

    public boolean verifyPassword(String password, String hash) {
        if (hash == null) {
            BCrypt.verifyer().verify(password.toCharArray(), NO_SUCH_ACCOUNT);
            return false;
        }
        return BCrypt.verifyer().verify(password.toCharArray(), hash.toCharArray()).verified;
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
