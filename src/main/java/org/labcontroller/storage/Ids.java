package org.labcontroller.storage;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Makes time-ordered UUIDs (version 7), so rows sort by creation and keyset pagination by id
 * returns them in the order users expect.
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String newId() {
        long millis = System.currentTimeMillis();
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (millis << 16) | 0x7000L | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
