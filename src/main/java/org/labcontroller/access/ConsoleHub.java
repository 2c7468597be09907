package org.labcontroller.access;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.buffer.Buffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.labcontroller.problem.ErrorCode;

/**
 * A lab's one serial connection, shared by every viewer of its console: output fans out to all
 * of them and into a scrollback that a (re)connecting viewer sees first; any viewer may type.
 * The console is read only as fast as the slowest viewer reads (bounded memory); a viewer that
 * reads nothing for too long is disconnected so the others go on.
 */
final class ConsoleHub implements Backend.Listener {
    final String labId;
    private final Backend backend;
    private final Scrollback scrollback;
    private final StreamMetrics metrics;
    private final Runnable onEmpty;
    private final Runnable onEnd;
    // NOTE: viewers join and leave on event loops while output arrives on the backend's thread;
    // both sets are concurrent. Reading is paused while `blocked` is non-empty.
    private final Set<StreamSession> viewers = ConcurrentHashMap.newKeySet();
    private final Set<StreamSession> blocked = ConcurrentHashMap.newKeySet();
    private volatile boolean ended;

    ConsoleHub(String labId, Backend backend, int scrollbackBytes, StreamMetrics metrics, Runnable onEmpty, Runnable onEnd) {
        this.labId = labId;
        this.backend = backend;
        this.scrollback = new Scrollback(scrollbackBytes);
        this.metrics = metrics;
        this.onEmpty = onEmpty;
        this.onEnd = onEnd;
        backend.start(this);
    }

    boolean ended() {
        return ended;
    }

    int viewerCount() {
        return viewers.size();
    }

    void join(StreamSession viewer) {
        viewers.add(viewer);
        Buffer recent = scrollback.snapshot();
        if (recent.length() > 0) {
            viewer.ws.write(recent);
        }
        viewer.whenClosed(this::leave);
        Bridge.pumpFromBrowser(viewer, backend, metrics);
    }

    private void leave(StreamSession viewer) {
        viewers.remove(viewer);
        unblock(viewer);
        if (viewers.isEmpty()) {
            onEmpty.run();
        }
    }

    @Override
    public void onData(ByteBuf bytes) {
        // The console is slow and fans out: one heap copy shared by every viewer and the scrollback.
        Buffer data = Buffer.buffer(ByteBufUtil.getBytes(bytes));
        bytes.release();
        scrollback.append(data);
        for (StreamSession v : viewers) {
            v.toBrowser.addAndGet(data.length());
            metrics.toBrowser(v.kind, data.length());
            v.ws.write(data);
            if (v.ws.writeQueueFull() && blocked.add(v)) {
                v.blockedSince = System.nanoTime();
                backend.pauseReading();
                v.ws.drainHandler(x -> unblock(v));
                if (!v.ws.writeQueueFull()) {
                    unblock(v); // it drained before the handler was set
                }
            }
        }
    }

    private void unblock(StreamSession v) {
        if (blocked.remove(v) && blocked.isEmpty()) {
            backend.resumeReading();
        }
    }

    /** Disconnects viewers that have read nothing for longer than the timeout. */
    void dropSlowViewers(long timeoutNanos) {
        long now = System.nanoTime();
        for (StreamSession v : blocked) {
            if (now - v.blockedSince > timeoutNanos) {
                v.close(ErrorCode.SLOW_CLIENT, "Your connection could not keep up with the console");
            }
        }
    }

    @Override
    public void onEnd(Throwable cause) {
        ended = true;
        for (StreamSession v : viewers) {
            v.close(ErrorCode.LAB_STOPPED, "The lab's console ended: the lab stopped");
        }
        onEnd.run();
    }

    void close() {
        ended = true;
        backend.close();
    }
}
