package org.labcontroller.lab;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The reconcile loop's keyed work queue, after client-go's {@code workqueue}: a key (a lab id) is
 * queued once however often it is added, is handed to one worker at a time, and a key added while
 * its worker runs is queued again when that worker is {@linkplain #done done}, so no change is
 * lost and no lab is reconciled twice at once. Delayed adds wait until their time on the injected
 * clock; an earlier add wins over a later one.
 */
final class WorkQueue {
    private final Clock clock;
    // NOTE: one lock guards every field; workers wait on `changed` for a key or a due time.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LinkedHashSet<String> ready = new LinkedHashSet<>();
    private final Set<String> queued = new HashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Map<String, Long> waiting = new HashMap<>();
    private boolean shutDown;

    WorkQueue(Clock clock) {
        this.clock = clock;
    }

    /** Queues {@code key} now (a no-op when it is queued already). */
    void add(String key) {
        lock.lock();
        try {
            waiting.remove(key);
            enqueue(key);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues {@code key} unless it is queued, waiting for its time (backing off) or being worked
     * on: the resync's add, which must never cut a backoff short.
     */
    void offer(String key) {
        lock.lock();
        try {
            if (!waiting.containsKey(key) && !processing.contains(key)) {
                enqueue(key);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Queues {@code key} once {@code delay} has passed, unless it is queued sooner. */
    void addAfter(String key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        lock.lock();
        try {
            if (queued.contains(key)) {
                return;
            }
            waiting.merge(key, clock.millis() + delay.toMillis(), Math::min);
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The next key to work on, if one is due now; the caller must call {@link #done} after. */
    Optional<String> poll() {
        lock.lock();
        try {
            promoteDue();
            return Optional.ofNullable(takeReady());
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the next due key; empty once the queue is shut down. */
    Optional<String> take() throws InterruptedException {
        lock.lock();
        try {
            while (!shutDown) {
                long wait = promoteDue();
                String key = takeReady();
                if (key != null) {
                    return Optional.of(key);
                }
                if (wait == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    changed.await(Math.max(1, wait), TimeUnit.MILLISECONDS);
                }
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Ends a worker's turn on {@code key}; queues it again if it was added meanwhile. */
    void done(String key) {
        lock.lock();
        try {
            processing.remove(key);
            if (queued.contains(key)) {
                ready.add(key);
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops every waiting key (leadership was lost); keys being worked on finish normally. */
    void clear() {
        lock.lock();
        try {
            ready.clear();
            queued.clear();
            waiting.clear();
        } finally {
            lock.unlock();
        }
    }

    void shutDown() {
        lock.lock();
        try {
            shutDown = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Keys queued or waiting, for metrics and tests. */
    int size() {
        lock.lock();
        try {
            return queued.size() + waiting.size();
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(String key) {
        if (queued.add(key) && !processing.contains(key)) {
            ready.add(key);
            changed.signal();
        }
    }

    private String takeReady() {
        var it = ready.iterator();
        if (!it.hasNext()) {
            return null;
        }
        String key = it.next();
        it.remove();
        queued.remove(key);
        processing.add(key);
        return key;
    }

    /** Moves due keys to the ready set; returns milliseconds until the next one is due. */
    private long promoteDue() {
        long now = clock.millis();
        long next = Long.MAX_VALUE;
        var it = waiting.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue() <= now) {
                it.remove();
                enqueue(e.getKey());
            } else {
                next = Math.min(next, e.getValue() - now);
            }
        }
        return next;
    }
}
