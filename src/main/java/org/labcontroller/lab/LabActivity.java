package org.labcontroller.lab;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When someone last typed into a lab's console or moved on its screen: the class overview sorts and filters students by
 * inactivity with it. The stream layer records every input it forwards; readers ask per lab.
 *
 * <p>Kept in this replica's memory: a lab's streams are relayed by the replica its viewers reach, and a replica that
 * restarts forgets (a lab then reads as "no input seen"), which an overview shows as unknown rather than idle.
 */
@ApplicationScoped
public class LabActivity {
    private final Map<String, Instant> lastInput = new ConcurrentHashMap<>();
    private final Clock clock;

    @Inject
    public LabActivity(Clock clock) {
        this.clock = clock;
    }

    /** Input reached the lab now (called per input frame: one map write, no allocation beyond the instant). */
    public void inputSeen(String labId) {
        lastInput.put(labId, clock.instant());
    }

    /** When input last reached the lab through this replica, if it did since the replica started. */
    public Optional<Instant> lastInput(String labId) {
        return Optional.ofNullable(lastInput.get(labId));
    }

    /** The lab is gone: forget it. */
    public void forget(String labId) {
        lastInput.remove(labId);
    }
}
