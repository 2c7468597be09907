package org.labcontroller.access;

import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.labcontroller.account.Caller;
import org.labcontroller.problem.ErrorCode;

/**
 * The viewers of one console hub and the backpressure they put on the lab: output is written to
 * each, reading the lab pauses while any viewer's queue is full and resumes when the last one
 * drains, and a viewer stuck too long can be dropped. Kept apart from the hub's lifecycle.
 */
final class ConsoleViewers {
    private final StreamMetrics metrics;
    private final Consumer<Runnable> onHub;
    // NOTE: used only on the hub's context; a websocket's drain handler (on the websocket's own
    // context) hops back there through `onHub`.
    private final Set<StreamSession> viewers = new LinkedHashSet<>();
    private final Map<StreamSession, Long> blockedSince = new HashMap<>();

    ConsoleViewers(StreamMetrics metrics, Consumer<Runnable> onHub) {
        this.metrics = metrics;
        this.onHub = onHub;
    }

    void add(StreamSession viewer) {
        viewers.add(viewer);
    }

    void remove(StreamSession viewer, Backend backend) {
        viewers.remove(viewer);
        unblock(viewer, backend);
    }

    /** Someone entitled to ask about the lab, or null when no one is watching. */
    Caller anyCaller() {
        return viewers.isEmpty() ? null : viewers.iterator().next().caller;
    }

    boolean isEmpty() {
        return viewers.isEmpty();
    }

    /** Writes one chunk of output to every viewer, pausing the lab for any that cannot take more. */
    void write(Buffer data, Backend backend) {
        for (StreamSession v : viewers) {
            v.toBrowser.addAndGet(data.length());
            metrics.toBrowser(v.kind, data.length());
            v.ws.write(data);
            // NOTE: a viewer closed meanwhile answers "not full"; its leave is already on its way here.
            if (Bridge.queueFull(v.ws) && blockedSince.putIfAbsent(v, System.nanoTime()) == null) {
                backend.pauseReading();
                Bridge.whenDrained(v.ws, () -> onHub.accept(() -> unblock(v, backend)));
                if (!Bridge.queueFull(v.ws)) {
                    unblock(v, backend); // it drained (or closed) before the handler was set
                }
            }
        }
    }

    private void unblock(StreamSession v, Backend backend) {
        if (blockedSince.remove(v) != null && blockedSince.isEmpty()) {
            backend.resumeReading();
        }
    }

    /** Disconnects viewers that have read nothing for longer than the timeout. */
    void dropSlow(long timeoutNanos) {
        long now = System.nanoTime();
        for (var e : List.copyOf(blockedSince.entrySet())) {
            if (now - e.getValue() > timeoutNanos) {
                e.getKey().close(ErrorCode.SLOW_CLIENT, "Your connection could not keep up with the console");
            }
        }
    }

    /** Closes every viewer with the hub's end reason; none is left afterwards. */
    void closeAll(ErrorCode code, String reason) {
        for (StreamSession v : List.copyOf(viewers)) {
            v.close(code, reason);
        }
        viewers.clear();
        blockedSince.clear();
    }
}
