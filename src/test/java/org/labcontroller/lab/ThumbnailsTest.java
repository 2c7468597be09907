package org.labcontroller.lab;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.StreamUnavailableException;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus;

/** Thumbnails: one screenshot per lab and period, shared by concurrent requests, dropped when stale or stopped. */
class ThumbnailsTest {
    private final Screens runtime = new Screens();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Thumbnails thumbnails = new Thumbnails(runtime, clock, Duration.ofSeconds(2), registry);
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopPool() {
        runtime.release.countDown();
        pool.shutdownNow();
    }

    @Test
    void twoConcurrentRequestsShareOneScreenshot() throws Exception {
        runtime.hold = true;
        Future<byte[]> first = pool.submit(() -> thumbnails.get("a"));
        assertEquals(true, runtime.entered.await(10, TimeUnit.SECONDS), "the first request takes the screenshot");
        Future<byte[]> second = pool.submit(() -> thumbnails.get("a"));
        // the second request found the pending shot: counted as shared before it waits on it
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.counter("lab_thumbnails_shared_total").count() == 1);
        runtime.release.countDown();
        byte[] png = first.get(10, TimeUnit.SECONDS);
        assertSame(png, second.get(10, TimeUnit.SECONDS), "both got the same picture");
        assertEquals(1, runtime.taken("a"), "one screendump for two requests");
        assertEquals(1, registry.counter("lab_thumbnails_taken_total").count());
    }

    @Test
    void aPictureIsReusedForItsMaxAgeThenTakenAgain() throws Exception {
        byte[] first = thumbnails.get("a");
        clock.advance(Duration.ofMillis(1999));
        assertSame(first, thumbnails.get("a"));
        assertEquals(1, runtime.taken("a"));
        clock.advance(Duration.ofMillis(1));
        assertArrayEquals(new byte[] {'a', 2}, thumbnails.get("a"));
        assertEquals(2, runtime.taken("a"));
    }

    @Test
    void aFailureReachesTheCallerAndIsNotKept() throws Exception {
        runtime.failing = true;
        assertThrows(StreamUnavailableException.class, () -> thumbnails.get("a"));
        assertEquals(0, thumbnails.size());
        runtime.failing = false;
        assertArrayEquals(new byte[] {'a', 2}, thumbnails.get("a"), "the next request tries again");
    }

    @Test
    void stoppedLabsAndStalePicturesAreDropped() throws Exception {
        thumbnails.get("a");
        thumbnails.get("b");
        thumbnails.onLabChanged(new LabService.LabChanged("a", Desired.STOPPED));
        assertEquals(1, thumbnails.size());
        clock.advance(Duration.ofSeconds(3));
        thumbnails.get("c");
        assertEquals(1, thumbnails.size(), "b's stale picture was swept by the miss for c");
    }

    /** A runtime whose screenshots are counted, can fail, and can be held until a test releases them. */
    private static final class Screens implements LabRuntime {
        final Map<String, AtomicInteger> taken = new ConcurrentHashMap<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean hold;
        volatile boolean failing;

        int taken(String labId) {
            AtomicInteger n = taken.get(labId);
            return n == null ? 0 : n.get();
        }

        @Override
        public byte[] screenshot(String labId) throws StreamUnavailableException, RuntimeFailure {
            int n = taken.computeIfAbsent(labId, id -> new AtomicInteger()).incrementAndGet();
            if (failing) {
                throw new StreamUnavailableException("Lab " + labId + " is not running.");
            }
            if (hold) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new byte[] {(byte) labId.charAt(0), (byte) n};
        }

        @Override
        public boolean screenshots() {
            return true;
        }

        @Override
        public String name() {
            return "screens";
        }

        @Override
        public void validate(VmImage image) {
        }

        @Override
        public void start(VmSpec spec) {
        }

        @Override
        public void stop(String labId) {
        }

        @Override
        public void restart(VmSpec spec) {
        }

        @Override
        public void delete(String labId) {
        }

        @Override
        public Map<String, VmStatus> observe() {
            return Map.of();
        }

        @Override
        public ByteChannel open(String labId, StreamKind kind) throws StreamUnavailableException {
            throw new StreamUnavailableException("no streams");
        }

        @Override
        public boolean ready() {
            return true;
        }
    }
}
