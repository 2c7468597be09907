package org.labcontroller.access;

import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.channels.ByteChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.labcontroller.account.Caller;
import org.labcontroller.lab.Desired;
import org.labcontroller.lab.Lab;
import org.labcontroller.lab.LabService;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.ErrorCode;
import org.labcontroller.runtime.StreamKind;

/**
 * The console hubs of this replica, one per lab at most, so the lab's single serial connection
 * (KubeVirt allows one per VMI) is dialled once and shared. A hub lingers a while after its last
 * viewer leaves so a page reload still finds the scrollback; an ended hub is never handed out.
 */
@ApplicationScoped
class ConsoleHubs {
    private static final int ATTEMPTS = 3;

    @Inject
    LabService labs;
    @Inject
    StreamConfig config;
    @Inject
    StreamMetrics metrics;
    @Inject
    Backends backends;
    @Inject
    Vertx vertx;

    // NOTE: the map only publishes hubs: a hub is put while it is still dialling (putIfAbsent), the
    // dial runs outside any map lock (it can take seconds), and a hub is removed only by itself
    // or by a caller holding that very hub (remove(key, hub)), so a newer hub is never evicted.
    private final Map<String, ConsoleHub> hubs = new ConcurrentHashMap<>();

    /**
     * The lab's live hub with a place held for one viewer (see {@link ConsoleHub#reserve}),
     * dialling the console if there is none. Call after the access check, from a worker thread.
     */
    ConsoleHub reserve(String labId) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ConsoleHub hub = hubs.get(labId);
            if (hub == null || hub.ended()) {
                ConsoleHub fresh = new ConsoleHub(labId, VertxInternals.newEventLoopContext(vertx), config.scrollbackBytes(),
                        config.consoleLinger().toMillis(), metrics, ended -> hubs.remove(ended.labId, ended), this::why);
                boolean published = hub == null ? hubs.putIfAbsent(labId, fresh) == null : hubs.replace(labId, hub, fresh);
                if (published) {
                    dial(fresh); // a failed dial is thrown by reserve() below
                    hub = fresh;
                } else if ((hub = hubs.get(labId)) == null) {
                    continue;
                }
            }
            if (hub.reserve()) {
                return hub;
            }
            hubs.remove(labId, hub);
        }
        throw new ApiException(ErrorCode.UNAVAILABLE, "The lab's console could not be opened; try again");
    }

    private void dial(ConsoleHub hub) {
        try {
            // The history is read before the dial: a byte printed in between is missed, never shown twice.
            byte[] history = labs.consoleHistory(hub.labId, config.scrollbackBytes());
            ByteChannel channel = labs.dialStream(hub.labId, StreamKind.CONSOLE);
            hub.seed(history);
            hub.opened(backends.of(channel));
        } catch (RuntimeException e) {
            hub.failed(e);
            hubs.remove(hub.labId, hub);
        }
    }

    /** Why a lab's console ended by itself: the lab was stopped, deleted or restarted, or it should not have. */
    private ConsoleEnding why(String labId, Caller asking, Throwable cause) {
        try {
            Lab lab = labs.find(asking, labId);
            if (lab.desired() == Desired.DELETED) {
                return new ConsoleEnding(ErrorCode.LAB_DELETED, "The lab was deleted");
            }
            if (lab.desired() == Desired.STOPPED) {
                return new ConsoleEnding(ErrorCode.LAB_STOPPED, "The lab was stopped");
            }
            if (lab.restartGeneration() != lab.restartObserved()) {
                return new ConsoleEnding(ErrorCode.LAB_STOPPED, "The lab is restarting; reconnect when it runs again");
            }
        } catch (ApiException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return new ConsoleEnding(ErrorCode.LAB_DELETED, "The lab was deleted");
            }
        }
        return ConsoleEnding.unexpected(cause);
    }

    /** Closes a lab's hub at once (the lab stopped or was deleted), telling its viewers why. */
    void drop(String labId, ErrorCode code, String reason) {
        ConsoleHub hub = hubs.remove(labId);
        if (hub != null) {
            hub.close(code, reason);
        }
    }

    void dropSlowViewers() {
        long timeout = config.slowClientTimeout().toNanos();
        hubs.values().forEach(h -> h.dropSlowViewers(timeout));
    }

    void closeAll() {
        hubs.forEach((id, hub) -> {
            hubs.remove(id, hub);
            hub.close(ErrorCode.SHUTTING_DOWN, "The controller is shutting down; reconnect in a moment");
        });
    }
}
