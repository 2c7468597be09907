package org.labcontroller.access;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.labcontroller.problem.ErrorCode;

/**
 * A lab's one serial connection, shared by every viewer of its console: output fans out to all
 * of them and into a scrollback that a joining viewer sees first; any viewer but a watcher may type. The
 * console is read only as fast as the slowest viewer reads; a viewer that reads nothing for too
 * long is disconnected so the others go on. Its life is explicit (dialling, open, lingering after
 * its last viewer, ended) and, so that it needs no locks, belongs to one Vert.x context.
 */
final class ConsoleHub implements Backend.Listener {
    enum State { DIALLING, OPEN, LINGERING, ENDED }

    private static final long BATCH_MILLIS = 4;
    private static final int BATCH_BYTES = 16 * 1024;

    final String labId;
    private final Context ctx;
    private final Scrollback scrollback;
    private final long lingerMillis;
    private final StreamMetrics metrics;
    private final Consumer<ConsoleHub> onEnded;
    private final ConsoleEnding.Explainer explainer;
    private final CompletableFuture<Void> dialled = new CompletableFuture<>();
    // NOTE: everything below except `backend` and `ended` is touched only on `ctx`: joins, leaves,
    // output, drains, lingering and the end arrive there as tasks (see run). `backend` is set once
    // before `dialled` completes, and `ended` lets the registry stop handing the hub out at once.
    private volatile Backend backend;
    private volatile boolean ended;
    private State state = State.DIALLING;
    private final ConsoleViewers viewers;
    private final OutputBatch output;
    private int reserved;
    private long lingerTimer = -1;
    private ConsoleEnding ending;

    ConsoleHub(String labId, Context ctx, int scrollbackBytes, long lingerMillis, StreamMetrics metrics,
            Consumer<ConsoleHub> onEnded, ConsoleEnding.Explainer explainer) {
        this.labId = labId;
        this.ctx = ctx;
        this.scrollback = new Scrollback(scrollbackBytes);
        this.lingerMillis = lingerMillis;
        this.metrics = metrics;
        this.onEnded = onEnded;
        this.explainer = explainer;
        this.viewers = new ConsoleViewers(metrics, this::run);
        this.output = new OutputBatch(ctx, BATCH_MILLIS, BATCH_BYTES, this::fanOut);
    }

    boolean ended() {
        return ended;
    }

    /**
     * What the console printed before it was dialled (its boot, its prompt), as the start of the
     * scrollback. NOTE: called once, before {@link #opened}, while no viewer can have joined; the
     * scrollback takes its own lock.
     */
    void seed(byte[] history) {
        if (history.length > 0) {
            scrollback.append(Buffer.buffer(history));
        }
    }

    /** The dial succeeded (any thread): start reading on the hub's context, unless it ended meanwhile. */
    void opened(Backend dialledBackend) {
        backend = dialledBackend;
        run(() -> {
            if (state == State.DIALLING) {
                state = State.OPEN;
                dialledBackend.start(this); // on ctx, so a LoopBackend reads on the hub's own loop
                lingerIfIdle();
            } else {
                dialledBackend.close();
            }
            dialled.complete(null);
        });
    }

    /** The dial failed (any thread): the hub ends, and whoever waits for it gets the dial's error. */
    void failed(RuntimeException e) {
        ended = true;
        dialled.completeExceptionally(e);
        run(() -> end(new ConsoleEnding(ErrorCode.UNAVAILABLE, "The lab's console could not be reached")));
    }

    /**
     * Holds a place for a viewer whose websocket is being accepted, once the dial is done, so the
     * hub does not linger out meanwhile. False if the hub ended: the caller dials a fresh one.
     * NOTE: blocks until the dial is done; call from a worker thread, never from an event loop.
     */
    boolean reserve() {
        try {
            dialled.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        CompletableFuture<Boolean> held = new CompletableFuture<>();
        run(() -> {
            if (state == State.ENDED) {
                held.complete(false);
                return;
            }
            reserved++;
            cancelLinger();
            held.complete(true);
        });
        return held.join();
    }

    /** The reserved viewer's upgrade failed: give its place back (the hub may linger out). */
    void release() {
        run(() -> {
            reserved--;
            lingerIfIdle();
        });
    }

    /** The reserved viewer's websocket is open: it gets the scrollback, then live output. */
    void join(StreamSession viewer) {
        Bridge.pumpFromBrowser(viewer, backend, metrics);
        run(() -> {
            reserved--;
            if (state == State.ENDED) {
                viewer.close(ending.code(), ending.reason());
                return;
            }
            // NOTE: the snapshot and the fan-out both run on ctx, so no byte is in both; output
            // still gathering goes out first, so it reaches the others before the joiner's snapshot.
            output.flush();
            viewers.add(viewer);
            Buffer recent = scrollback.snapshot();
            if (recent.length() > 0) {
                viewer.ws.write(recent);
            }
            viewer.whenClosed(v -> run(() -> leave(v)));
        });
    }

    private void leave(StreamSession viewer) {
        viewers.remove(viewer, backend);
        lingerIfIdle();
    }

    @Override
    public void onData(ByteBuf bytes) {
        // The console is slow and fans out: one heap copy shared by every viewer and the scrollback.
        Buffer data = Buffer.buffer(ByteBufUtil.getBytes(bytes));
        bytes.release();
        run(() -> {
            if (state != State.ENDED) {
                output.add(data);
            }
        });
    }

    private void fanOut(Buffer data) {
        if (state != State.ENDED) {
            scrollback.append(data);
            viewers.write(data, backend);
        }
    }

    /** Disconnects viewers that have read nothing for longer than the timeout. */
    void dropSlowViewers(long timeoutNanos) {
        run(() -> viewers.dropSlow(timeoutNanos));
    }

    /** The lab's end of the console ended by itself: find out why (if anyone is told), then end. */
    @Override
    public void onEnd(Throwable cause) {
        ended = true;
        run(() -> {
            var asking = viewers.anyCaller();
            if (state == State.ENDED || asking == null) {
                end(ConsoleEnding.unexpected(cause));
                return;
            }
            ctx.executeBlocking(() -> explainer.why(labId, asking, cause), false)
                    .onComplete(ar -> end(ar.succeeded() ? ar.result() : ConsoleEnding.unexpected(cause)));
        });
    }

    /** Ends the hub (any thread): its viewers are closed with this code and reason. */
    void close(ErrorCode code, String reason) {
        ended = true;
        run(() -> end(new ConsoleEnding(code, reason)));
    }

    private void end(ConsoleEnding why) {
        if (state == State.ENDED) {
            return;
        }
        boolean wasDialling = state == State.DIALLING;
        output.flush(); // what the lab said last reaches the viewers before their close
        state = State.ENDED;
        ended = true;
        ending = why;
        cancelLinger();
        viewers.closeAll(why.code(), why.reason());
        if (!wasDialling) {
            backend.close(); // its onEnd comes back here and finds the hub ended
        }
        onEnded.accept(this);
    }

    private void lingerIfIdle() {
        if (state == State.OPEN && viewers.isEmpty() && reserved == 0) {
            state = State.LINGERING;
            lingerTimer = ctx.owner().setTimer(lingerMillis, t -> {
                if (state == State.LINGERING) {
                    end(new ConsoleEnding(ErrorCode.STREAM_ENDED, "The console was idle"));
                }
            });
        }
    }

    private void cancelLinger() {
        if (state == State.LINGERING) {
            state = State.OPEN;
        }
        if (lingerTimer >= 0) {
            ctx.owner().cancelTimer(lingerTimer);
            lingerTimer = -1;
        }
    }

    private void run(Runnable task) {
        if (Vertx.currentContext() == ctx) {
            task.run();
        } else {
            ctx.runOnContext(v -> task.run());
        }
    }
}
