package org.labcontroller.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final WorkQueue queue = new WorkQueue(clock);

    @Test
    void aKeyAddedManyTimesIsHandedOutOnce() {
        queue.add("a");
        queue.add("a");
        queue.add("b");
        assertEquals(Optional.of("a"), queue.poll());
        assertEquals(Optional.of("b"), queue.poll());
        assertEquals(Optional.empty(), queue.poll());
    }

    @Test
    void aKeyAddedWhileItIsWorkedOnComesBackOnceWhenDone() {
        queue.add("a");
        assertEquals(Optional.of("a"), queue.poll());
        queue.add("a");
        queue.add("a");
        assertEquals(Optional.empty(), queue.poll(), "never to two workers at once");
        queue.done("a");
        assertEquals(Optional.of("a"), queue.poll());
        queue.done("a");
        assertEquals(Optional.empty(), queue.poll());
    }

    @Test
    void aDelayedKeyWaitsForItsTimeAndAnEarlierAddWins() {
        queue.addAfter("a", Duration.ofSeconds(10));
        queue.addAfter("a", Duration.ofSeconds(4));
        clock.advance(Duration.ofSeconds(3));
        assertEquals(Optional.empty(), queue.poll());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.of("a"), queue.poll());
    }

    @Test
    void aResyncOfferNeverCutsABackoffShort() {
        queue.addAfter("a", Duration.ofSeconds(30));
        queue.offer("a");
        assertEquals(Optional.empty(), queue.poll());
        queue.add("a"); // an event does: the user asked for something new
        assertEquals(Optional.of("a"), queue.poll());
    }

    @Test
    void clearDropsWaitingKeys() {
        queue.add("a");
        queue.addAfter("b", Duration.ofSeconds(1));
        queue.clear();
        clock.advance(Duration.ofSeconds(2));
        assertEquals(Optional.empty(), queue.poll());
        assertEquals(0, queue.size());
    }
}
