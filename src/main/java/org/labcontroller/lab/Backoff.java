package org.labcontroller.lab;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Per-lab exponential backoff with jitter and a cap, after client-go's
 * {@code ItemExponentialFailureRateLimiter}: the n-th retry of one lab waits {@code initial * 2^n}
 * (at most {@code max}), stretched by up to {@code jitter} at random so labs that failed together
 * do not retry together; {@link #forget} starts the lab over once it succeeds.
 */
final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final double jitter;
    private final RandomGenerator random;
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    Backoff(Duration initial, Duration max, double jitter, RandomGenerator random) {
        this.initial = initial;
        this.max = max;
        this.jitter = jitter;
        this.random = random;
    }

    /** The delay before the next retry of {@code key}, counting this retry. */
    Duration next(String key) {
        int n = attempts.merge(key, 1, Integer::sum) - 1;
        long base = initial.toMillis() << Math.min(n, 30);
        if (base <= 0 || base > max.toMillis()) {
            base = max.toMillis();
        }
        long stretched = base + (long) (base * jitter * random.nextDouble());
        return Duration.ofMillis(Math.min(stretched, max.toMillis()));
    }

    /** How many retries of {@code key} have been scheduled since it last succeeded. */
    int attempts(String key) {
        return attempts.getOrDefault(key, 0);
    }

    void forget(String key) {
        attempts.remove(key);
    }
}
