package org.labcontroller.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts failed logins per account and per client address in a sliding window, so password
 * guessing is slowed whichever of the two an attacker varies. Kept in memory: each replica limits
 * on its own, which bounds guessing to replicas × limit per window.
 */
@ApplicationScoped
public class LoginThrottle {
    private static final int MAX_KEYS = 100_000;

    @Inject
    AuthConfig config;

    // NOTE: one deque per key, guarded by synchronizing on the deque; the map itself is concurrent.
    private final ConcurrentMap<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    /** Seconds until the key may try again, or 0 when it may try now. */
    public long retryAfterSeconds(String key, int maxFailures, long now) {
        Deque<Long> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            prune(times, now);
            if (times.size() < maxFailures) {
                return 0;
            }
            long until = times.peekFirst() + config.loginWindow().toMillis();
            return Math.max(1, (until - now + 999) / 1000);
        }
    }

    public void recordFailure(String key, long now) {
        if (failures.size() > MAX_KEYS) {
            failures.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    prune(e.getValue(), now);
                    return e.getValue().isEmpty();
                }
            });
        }
        Deque<Long> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            prune(times, now);
            times.addLast(now);
        }
    }

    public void reset(String key) {
        failures.remove(key);
    }

    private void prune(Deque<Long> times, long now) {
        long cutoff = now - config.loginWindow().toMillis();
        while (!times.isEmpty() && times.peekFirst() <= cutoff) {
            times.pollFirst();
        }
    }
}
