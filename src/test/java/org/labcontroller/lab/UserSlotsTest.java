package org.labcontroller.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The per-account cap: parallel takes never pass it, and a slot is given back once. */
class UserSlotsTest {

    @Test
    void fiftyTakesAtOnceGetExactlyTheCap() throws Exception {
        UserSlots slots = new UserSlots(5);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Future<Optional<UserSlots.Slot>>> takes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            takes.add(pool.submit(() -> {
                start.await();
                return slots.take("a");
            }));
        }
        start.countDown();
        int taken = 0;
        for (Future<Optional<UserSlots.Slot>> f : takes) {
            taken += f.get().isPresent() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(5, taken);
        assertEquals(5, slots.held("a"));
        assertTrue(slots.take("b").isPresent(), "another account has its own cap");
    }

    @Test
    void aSlotReleasedTwiceFreesOnePlace() {
        UserSlots slots = new UserSlots(2);
        UserSlots.Slot first = slots.take("a").orElseThrow();
        slots.take("a").orElseThrow();
        first.release();
        first.release();
        assertEquals(1, slots.held("a"));
        assertTrue(slots.take("a").isPresent());
        assertTrue(slots.take("a").isEmpty());
    }
}
