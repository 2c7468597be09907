package org.labcontroller.access;

import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.labcontroller.lab.LabService;
import org.labcontroller.runtime.StreamKind;

/**
 * The console hubs of this replica, one per lab at most, so the lab's single serial connection
 * (KubeVirt allows one per VMI) is dialled once and shared. A hub lingers a while after its last
 * viewer leaves so a page reload still finds the scrollback.
 */
@ApplicationScoped
class ConsoleHubs {
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

    // NOTE: computeIfAbsent dials under the map's bin lock, so two viewers arriving together
    // share one dial; the linger timers remove a hub only if it is still empty when they fire.
    private final Map<String, ConsoleHub> hubs = new ConcurrentHashMap<>();

    /** The lab's hub, dialling the console if no live hub exists. Call after the access check. */
    ConsoleHub hub(String labId) {
        ConsoleHub existing = hubs.get(labId);
        if (existing != null && !existing.ended()) {
            return existing;
        }
        return hubs.compute(labId, (id, current) -> current != null && !current.ended() ? current
                : new ConsoleHub(id, backends.of(labs.dialStream(id, StreamKind.CONSOLE)), config.scrollbackBytes(), metrics,
                        () -> linger(id), () -> hubs.remove(id)));
    }

    private void linger(String labId) {
        vertx.setTimer(config.consoleLinger().toMillis(), t -> hubs.computeIfPresent(labId, (id, hub) -> {
            if (hub.viewerCount() == 0) {
                hub.close();
                return null;
            }
            return hub;
        }));
    }

    /** Closes a lab's hub at once (the lab stopped or was deleted). */
    void drop(String labId) {
        ConsoleHub hub = hubs.remove(labId);
        if (hub != null) {
            hub.close();
        }
    }

    void dropSlowViewers() {
        long timeout = config.slowClientTimeout().toNanos();
        hubs.values().forEach(h -> h.dropSlowViewers(timeout));
    }

    void closeAll() {
        hubs.values().forEach(ConsoleHub::close);
        hubs.clear();
    }
}
