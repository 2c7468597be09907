package org.labcontroller.lab;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A per-account cap on things held open (live feeds, console and screen streams). An open thing
 * holds a {@link Slot} from when it is accepted until it ends; a slot is released once, however
 * often its release is called, so a stream that ends on two paths does not free two places.
 * The count is this replica's: open streams live in a replica's memory, not in the database.
 */
public final class UserSlots {
    private final int cap;
    private final Map<String, Integer> held = new ConcurrentHashMap<>();

    /** A place taken in the cap; {@link #release} gives it back, once. */
    public final class Slot {
        private final String accountId;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(String accountId) {
            this.accountId = accountId;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                held.computeIfPresent(accountId, (k, n) -> n <= 1 ? null : n - 1);
            }
        }
    }

    public UserSlots(int cap) {
        this.cap = cap;
    }

    /** A slot for the account, or empty when it holds {@code cap} already. */
    public Optional<Slot> take(String accountId) {
        boolean[] taken = {false};
        // NOTE: the check and the increment run inside one compute() of the account's map entry,
        // which ConcurrentHashMap runs atomically per key: parallel opens queue there and never
        // count past the cap.
        held.compute(accountId, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= cap) {
                return n;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0] ? Optional.of(new Slot(accountId)) : Optional.empty();
    }

    /** How many slots the account holds now. */
    public int held(String accountId) {
        return held.getOrDefault(accountId, 0);
    }

    public int cap() {
        return cap;
    }
}
