package org.labcontroller.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.labcontroller.problem.ApiException;

/**
 * Limits password checks per account and per client address in a sliding window, so password
 * guessing is slowed whichever of the two an attacker varies. An attempt is reserved before its
 * bcrypt check runs and counts until it is released (right password), so guesses sent in
 * parallel are counted as they start, not as they finish. Kept in memory: each replica limits on
 * its own, which bounds guessing to replicas × limit per window.
 */
@ApplicationScoped
public class LoginThrottle {
    private static final int MAX_KEYS = 100_000;

    @Inject
    AuthConfig config;
    @Inject
    Clock clock;

    // NOTE: every read and change of a key's deque runs inside ConcurrentHashMap.compute for that
    // key, so a reservation, a release and the eviction of an empty deque never interleave, and the
    // entries' fields are only touched under that per-key lock.
    private final ConcurrentMap<String, Deque<Entry>> attempts = new ConcurrentHashMap<>();

    /** At most {@code max} attempts of {@code key} per window. */
    public record Limit(String key, int max) {
    }

    /** One counted attempt; {@code failed} once its check said no, pending until then. */
    private static final class Entry {
        long at;
        boolean failed;

        Entry(long at) {
            this.at = at;
        }
    }

    /** The attempts one password check holds: {@link #release()} on success, {@link #fail()} otherwise. */
    public final class Attempt {
        private final List<String> keys;
        private final List<Entry> entries;

        private Attempt(List<String> keys, List<Entry> entries) {
            this.keys = keys;
            this.entries = entries;
        }

        /** The password was right: the attempt does not count. */
        public void release() {
            for (int i = 0; i < keys.size(); i++) {
                Entry e = entries.get(i);
                attempts.computeIfPresent(keys.get(i), (k, d) -> {
                    d.remove(e);
                    return d.isEmpty() ? null : d;
                });
            }
        }

        /** The password was wrong (or unusable): the attempt counts as a failure for the whole window. */
        public void fail() {
            long now = clock.millis();
            for (int i = 0; i < keys.size(); i++) {
                Entry e = entries.get(i);
                attempts.computeIfPresent(keys.get(i), (k, d) -> {
                    e.failed = true;
                    e.at = now;
                    return d;
                });
            }
        }
    }

    /** The per-account limit of the configured size. */
    public Limit account(String username) {
        return new Limit("user:" + username, config.loginMaxFailures());
    }

    /** The per-client-address limit of the configured size. */
    public Limit address(String address) {
        return new Limit("address:" + address, config.loginMaxFailuresPerAddress());
    }

    /**
     * Reserves one attempt under every limit, all or none, or throws a 429 problem saying when to
     * retry: after the window of the oldest failure, or in a second when only checks still running
     * fill the limit.
     */
    public Attempt reserve(Limit... limits) {
        long now = clock.millis();
        if (attempts.size() > MAX_KEYS) {
            evictIdle(now);
        }
        List<String> keys = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        for (Limit limit : limits) {
            long[] wait = {0};
            Entry entry = new Entry(now);
            attempts.compute(limit.key(), (k, d) -> {
                Deque<Entry> times = d == null ? new ArrayDeque<>() : d;
                prune(times, now);
                if (times.size() < limit.max()) {
                    times.addLast(entry);
                } else {
                    wait[0] = retryAfterSeconds(times, limit.max(), now);
                }
                return times.isEmpty() ? null : times;
            });
            if (wait[0] > 0) {
                new Attempt(keys, entries).release();
                throw ApiException.tooManyRequests("Too many failed logins; try again in " + wait[0] + " seconds", wait[0]);
            }
            keys.add(limit.key());
            entries.add(entry);
        }
        return new Attempt(keys, entries);
    }

    /** Forgets a key's failures (after a successful login of that account). */
    public void reset(String key) {
        attempts.computeIfPresent(key, (k, d) -> {
            d.removeIf(e -> e.failed);
            return d.isEmpty() ? null : d;
        });
    }

    private long retryAfterSeconds(Deque<Entry> times, int max, long now) {
        long window = config.loginWindow().toMillis();
        List<Long> failures = times.stream().filter(e -> e.failed).map(e -> e.at).sorted().toList();
        if (failures.size() < max) {
            return 1;
        }
        long until = failures.get(failures.size() - max) + window;
        return Math.max(1, (until - now + 999) / 1000);
    }

    private void evictIdle(long now) {
        for (String key : attempts.keySet()) {
            attempts.computeIfPresent(key, (k, d) -> {
                prune(d, now);
                return d.isEmpty() ? null : d;
            });
        }
    }

    private void prune(Deque<Entry> times, long now) {
        long cutoff = now - config.loginWindow().toMillis();
        times.removeIf(e -> e.at <= cutoff);
    }
}
