package org.labcontroller.lab;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.StreamUnavailableException;

/**
 * The screen thumbnails of the class overview: one screenshot per lab per {@code
 * lab.labs.thumbnail-max-age}, however many tiles ask, so 30 tiles refreshing every few seconds
 * cost one screendump per lab and period. Pictures live in memory only, for that short time; a lab
 * that stops or is deleted drops its picture, and a miss sweeps out every stale one, so the map holds
 * at most the labs someone looked at within the last period.
 */
@ApplicationScoped
class Thumbnails {
    /** A caller waits this long for a screenshot someone else is taking before giving up. */
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final LabRuntime runtime;
    private final Clock clock;
    private final long maxAgeMillis;
    private final Map<String, Shot> shots = new ConcurrentHashMap<>();
    private final Counter taken;
    private final Counter shared;

    /** One screenshot of a lab: pending until taken, then fresh until it is older than the max age. */
    private static final class Shot {
        final CompletableFuture<byte[]> png = new CompletableFuture<>();
        volatile long takenAt = -1;

        boolean usable(long now, long maxAge) {
            return takenAt < 0 || now - takenAt < maxAge;
        }
    }

    @Inject
    Thumbnails(LabRuntime runtime, Clock clock, LabConfig config, MeterRegistry registry) {
        this(runtime, clock, config.thumbnailMaxAge(), registry);
    }

    Thumbnails(LabRuntime runtime, Clock clock, Duration maxAge, MeterRegistry registry) {
        this.runtime = runtime;
        this.clock = clock;
        this.maxAgeMillis = maxAge.toMillis();
        this.taken = Counter.builder("lab_thumbnails_taken_total")
                .description("Screenshots taken from the runtime for thumbnails").register(registry);
        this.shared = Counter.builder("lab_thumbnails_shared_total")
                .description("Thumbnail requests answered by a screenshot taken or being taken for another request")
                .register(registry);
    }

    /**
     * The lab's screen as PNG: the picture of the last max-age, or the one being taken now, or a new
     * one. Call only after the caller's access check.
     *
     * <p>NOTE: single flight. The first caller of a period puts a pending shot into the map
     * atomically ({@code compute}) and takes the screenshot on its own thread; every caller that
     * finds a pending or fresh shot waits on the same future. A failure is given to every waiter and
     * removes the shot, so the next request tries again instead of repeating the failure.
     */
    byte[] get(String labId) throws StreamUnavailableException, RuntimeFailure {
        Shot mine = new Shot();
        long now = clock.millis();
        Shot shot = shots.compute(labId, (id, old) -> old != null && old.usable(now, maxAgeMillis) ? old : mine);
        if (shot == mine) {
            sweep(now);
            take(labId, mine);
        } else {
            shared.increment();
        }
        return await(shot);
    }

    /** Drops the picture of a lab that stopped or was deleted. */
    void onLabChanged(@Observes LabService.LabChanged change) {
        shots.remove(change.labId());
    }

    /** How many labs have a picture or one being taken (for tests of the bound). */
    int size() {
        return shots.size();
    }

    private void take(String labId, Shot shot) {
        try {
            byte[] png = runtime.screenshot(labId);
            taken.increment();
            shot.takenAt = clock.millis();
            shot.png.complete(png);
        } catch (StreamUnavailableException | RuntimeFailure | RuntimeException e) {
            shots.remove(labId, shot);
            shot.png.completeExceptionally(e);
        }
    }

    private void sweep(long now) {
        shots.values().removeIf(s -> !s.usable(now, maxAgeMillis));
    }

    private static byte[] await(Shot shot) throws StreamUnavailableException, RuntimeFailure {
        try {
            return shot.png.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case StreamUnavailableException u -> throw u;
                case RuntimeFailure f -> throw f;
                case RuntimeException r -> throw r;
                default -> throw new IllegalStateException(e.getCause());
            }
        } catch (TimeoutException e) {
            throw new RuntimeFailure("The lab's screenshot took longer than " + WAIT.toSeconds() + " s.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("Interrupted while waiting for the lab's screenshot.", e);
        }
    }
}
