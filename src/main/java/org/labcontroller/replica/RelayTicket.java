package org.labcontroller.replica;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The header a replica adds when it relays a viewer's stream to the owner: it says "serve this here,
 * do not relay again" (two replicas that briefly disagree on the owner never bounce a stream) and
 * carries the viewer's address for the audit log. Signed with the replicas' shared secret and short
 * lived, so a browser cannot forge it; the viewer's own credential still goes with the request and
 * the owner authorizes it as any stream.
 */
public final class RelayTicket {
    public static final String HEADER = "X-Lab-Relay";
    private static final long VALID_MILLIS = 30_000;

    private RelayTicket() {
    }

    /** A ticket for a stream of {@code path} relayed for a viewer at {@code client}. */
    public static String issue(String secret, String path, String client, long now) {
        long expires = now + VALID_MILLIS;
        String payload = expires + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(client.getBytes(StandardCharsets.UTF_8));
        return payload + "." + mac(secret, path + "\n" + payload);
    }

    /** The viewer's address when {@code ticket} is valid for {@code path} now; empty otherwise. */
    public static Optional<String> verify(String secret, String ticket, String path, long now) {
        if (ticket == null) {
            return Optional.empty();
        }
        int last = ticket.lastIndexOf('.');
        int first = ticket.indexOf('.');
        if (first <= 0 || last <= first) {
            return Optional.empty();
        }
        String payload = ticket.substring(0, last);
        byte[] expected = mac(secret, path + "\n" + payload).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, ticket.substring(last + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            long expires = Long.parseLong(ticket.substring(0, first));
            if (expires < now || expires > now + 2 * VALID_MILLIS) {
                return Optional.empty();
            }
            return Optional.of(new String(Base64.getUrlDecoder().decode(ticket.substring(first + 1, last)), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    private static String mac(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
