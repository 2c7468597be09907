package org.labcontroller.app;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clock of the Quarkus tests: real time plus an offset the test moves, so expiry, sessions and
 * token lifetimes are tested by moving time instead of editing rows. Replaces {@link Wiring}'s
 * default clock in every {@code @QuarkusTest}; a test that moves it resets it when done.
 */
@Singleton
public class TestClock extends Clock {
    private final AtomicLong offsetMillis = new AtomicLong();

    /** Moves "now" forward by {@code by}. */
    public void advance(Duration by) {
        offsetMillis.addAndGet(by.toMillis());
    }

    /** Back to real time. */
    public void reset() {
        offsetMillis.set(0);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + offsetMillis.get();
    }
}
