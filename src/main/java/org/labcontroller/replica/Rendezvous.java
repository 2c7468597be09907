package org.labcontroller.replica;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Optional;

/**
 * Picks the replica that owns a key (a lab's stream) by rendezvous hashing: every replica computes
 * the same owner from the same live set, and when a replica leaves only its keys move.
 */
public final class Rendezvous {
    private Rendezvous() {
    }

    /** The live replica with the highest score for {@code key}; empty when none is live. */
    public static <R extends Replica> Optional<R> owner(String key, Collection<R> live) {
        R best = null;
        long bestScore = Long.MIN_VALUE;
        for (R replica : live) {
            long score = score(key, replica.id());
            if (best == null || score > bestScore || (score == bestScore && replica.id().compareTo(best.id()) < 0)) {
                best = replica;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    static long score(String key, String replicaId) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((key + '\n' + replicaId).getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A replica as the registry knows it. */
    public interface Replica {
        String id();

        String address();
    }
}
