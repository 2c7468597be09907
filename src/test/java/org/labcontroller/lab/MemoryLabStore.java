package org.labcontroller.lab;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Labs in memory for the loop's unit tests, with the same conditional writes as the database. */
final class MemoryLabStore implements LabStore {
    final Map<String, Lab> labs = new ConcurrentHashMap<>();
    volatile long currentEpoch = 1;

    /** The readiness timeout of the template of labs added from now on. */
    volatile int readinessTimeoutSeconds = 300;

    /** Runs inside {@link #poweredOff} before its version check: a user's request arriving at that moment. */
    volatile Runnable beforePowerOffWrite = () -> { };

    Lab add(String id, Desired desired, LabState state, Instant now) {
        Lab lab = new Lab(id, "o-" + id, "owner", "t1", "demo", desired, 1, 0, 0, state, null, now, now, null,
                now.plusSeconds(86_400), null, readinessTimeoutSeconds);
        labs.put(id, lab);
        return lab;
    }

    Lab get(String id) {
        return labs.get(id);
    }

    /** A user's request, as LabRepository.request writes it. */
    synchronized void request(String id, Desired desired, LabState shown, boolean restart) {
        Lab l = labs.get(id);
        labs.put(id, new Lab(l.id(), l.ownerId(), l.ownerName(), l.templateId(), l.templateName(), desired,
                l.desiredVersion() + 1, l.restartGeneration() + (restart ? 1 : 0), l.restartObserved(), shown, null,
                l.stateChangedAt(), l.createdAt(), l.startedAt(), l.expiresAt(), l.bootStartedAt(), l.readinessTimeoutSeconds()));
    }

    @Override
    public Optional<Lab> find(String id) {
        return Optional.ofNullable(labs.get(id));
    }

    @Override
    public List<Lab> all() {
        return new ArrayList<>(labs.values());
    }

    @Override
    public synchronized boolean observe(Lab lab, LabState state, String reason, Long startedAt, int restartObserved, long now, long epoch) {
        Lab l = labs.get(lab.id());
        if (l == null || l.desiredVersion() != lab.desiredVersion() || epoch != currentEpoch) {
            return false;
        }
        labs.put(l.id(), new Lab(l.id(), l.ownerId(), l.ownerName(), l.templateId(), l.templateName(), l.desired(),
                l.desiredVersion(), l.restartGeneration(), restartObserved, state, reason, Instant.ofEpochMilli(now),
                l.createdAt(), startedAt == null ? null : Instant.ofEpochMilli(startedAt), l.expiresAt(), l.bootStartedAt(),
                l.readinessTimeoutSeconds()));
        return true;
    }

    @Override
    public synchronized boolean booting(Lab lab, long now, long epoch) {
        Lab l = labs.get(lab.id());
        if (l == null || l.desiredVersion() != lab.desiredVersion() || epoch != currentEpoch) {
            return false;
        }
        labs.put(l.id(), new Lab(l.id(), l.ownerId(), l.ownerName(), l.templateId(), l.templateName(), l.desired(),
                l.desiredVersion(), l.restartGeneration(), l.restartObserved(), l.state(), l.stateReason(), l.stateChangedAt(),
                l.createdAt(), l.startedAt(), l.expiresAt(), Instant.ofEpochMilli(now), l.readinessTimeoutSeconds()));
        return true;
    }

    @Override
    public synchronized boolean expire(Lab lab, long now, long epoch) {
        Lab l = labs.get(lab.id());
        if (l == null || l.desiredVersion() != lab.desiredVersion() || epoch != currentEpoch) {
            return false;
        }
        labs.put(l.id(), new Lab(l.id(), l.ownerId(), l.ownerName(), l.templateId(), l.templateName(), Desired.DELETED,
                l.desiredVersion() + 1, l.restartGeneration(), l.restartObserved(), LabState.DELETING, "Its lifetime ended",
                Instant.ofEpochMilli(now), l.createdAt(), l.startedAt(), l.expiresAt(), l.bootStartedAt(), l.readinessTimeoutSeconds()));
        return true;
    }

    @Override
    public boolean poweredOff(Lab lab, String reason, long now, long epoch) {
        beforePowerOffWrite.run();
        synchronized (this) {
            Lab l = labs.get(lab.id());
            if (l == null || l.desiredVersion() != lab.desiredVersion() || epoch != currentEpoch) {
                return false;
            }
            labs.put(l.id(), new Lab(l.id(), l.ownerId(), l.ownerName(), l.templateId(), l.templateName(), Desired.STOPPED,
                    l.desiredVersion() + 1, l.restartGeneration(), l.restartObserved(), LabState.STOPPED, reason,
                    Instant.ofEpochMilli(now), l.createdAt(), l.startedAt(), l.expiresAt(), l.bootStartedAt(), l.readinessTimeoutSeconds()));
            return true;
        }
    }

    @Override
    public synchronized boolean delete(String id, long epoch) {
        Lab l = labs.get(id);
        if (l == null || l.desired() != Desired.DELETED || epoch != currentEpoch) {
            return false;
        }
        labs.remove(id);
        return true;
    }

    final Map<String, Integer> resetRequested = new ConcurrentHashMap<>();
    final Map<String, Integer> resetApplied = new ConcurrentHashMap<>();

    /** A user's reset, as ResetRepository.request writes it; false when the lab is gone or being deleted. */
    synchronized boolean requestReset(String id, LabState shown, String reason) {
        Lab l = labs.get(id);
        if (l == null || l.desired() == Desired.DELETED) {
            return false;
        }
        resetRequested.merge(id, 1, Integer::sum);
        labs.put(id, new Lab(l.id(), l.ownerId(), l.ownerName(), l.templateId(), l.templateName(), l.desired(),
                l.desiredVersion() + 1, l.restartGeneration(), l.restartObserved(), shown, reason,
                l.stateChangedAt(), l.createdAt(), l.startedAt(), l.expiresAt(), l.bootStartedAt(), l.readinessTimeoutSeconds()));
        return true;
    }

    @Override
    public synchronized Optional<Integer> pendingReset(String id) {
        int requested = resetRequested.getOrDefault(id, 0);
        return labs.containsKey(id) && requested > resetApplied.getOrDefault(id, 0) ? Optional.of(requested) : Optional.empty();
    }

    @Override
    public synchronized boolean resetApplied(String id, int generation, long epoch) {
        if (!labs.containsKey(id) || epoch != currentEpoch || resetApplied.getOrDefault(id, 0) >= generation) {
            return false;
        }
        resetApplied.put(id, generation);
        return true;
    }
}
