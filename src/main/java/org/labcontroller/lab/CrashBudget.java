package org.labcontroller.lab;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How often the loop starts a lab again after its machine died without being asked (a crashed or
 * killed QEMU, a guest kernel panic, a failed instance) or never became ready in time: up to {@code limit} times, counted
 * afresh after every request of the user and after the lab ran for {@code healthy} without
 * dying. Past the limit the lab stays {@code Failed} with its reason, waiting for the user.
 */
final class CrashBudget {
    private record Spent(int desiredVersion, int count) {
    }

    private final int limit;
    private final Duration healthy;
    private final Clock clock;
    // NOTE: a lab's entry is only touched by the worker holding its key.
    private final Map<String, Spent> spent = new ConcurrentHashMap<>();

    CrashBudget(int limit, Duration healthy, Clock clock) {
        this.limit = limit;
        this.healthy = healthy;
        this.clock = clock;
    }

    int limit() {
        return limit;
    }

    /** Takes one restart from the lab's budget: its number (1-based), or 0 when none is left. */
    int take(Lab lab) {
        Spent s = spent.get(lab.id());
        // Only a lab that is Running (ready) now can have run well since it last became ready: a boot
        // that never became ready must not count an old startedAt as good running time.
        boolean ranLong = lab.state() == LabState.RUNNING && lab.startedAt() != null
                && !clock.instant().isBefore(lab.startedAt().plus(healthy));
        if (s == null || s.desiredVersion() != lab.desiredVersion() || ranLong) {
            s = new Spent(lab.desiredVersion(), 0);
        }
        if (s.count() >= limit) {
            spent.put(lab.id(), s);
            return 0;
        }
        s = new Spent(lab.desiredVersion(), s.count() + 1);
        spent.put(lab.id(), s);
        return s.count();
    }

    void forget(String labId) {
        spent.remove(labId);
    }
}
