package org.labcontroller.access;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A console's output in few frames: a byte at a time in, one frame out, nothing lost or doubled. */
class OutputBatchTest {
    final Vertx vertx = Vertx.vertx();
    final Context ctx = vertx.getOrCreateContext();
    final List<String> frames = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    void onContext(Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            task.run();
            done.complete(null);
        });
        done.join();
    }

    @Test
    void bytesArrivingOneByOneLeaveAsOneFrame() {
        OutputBatch batch = new OutputBatch(ctx, 50, 16 * 1024, b -> frames.add(b.toString()));
        onContext(() -> {
            for (char c : "login: root\r\n".toCharArray()) {
                batch.add(Buffer.buffer(String.valueOf(c)));
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> !frames.isEmpty());
        onContext(batch::flush); // nothing left: no empty frame
        assertEquals(List.of("login: root\r\n"), frames);
    }

    @Test
    void aFullBatchLeavesAtOnceAndTheRestAfterIt() {
        OutputBatch batch = new OutputBatch(ctx, 60_000, 8, b -> frames.add(b.toString()));
        onContext(() -> {
            batch.add(Buffer.buffer("0123"));
            batch.add(Buffer.buffer("4567")); // full: out now, no timer needed
            batch.add(Buffer.buffer("89"));
        });
        assertEquals(List.of("01234567"), frames);
        onContext(batch::flush); // a joining viewer or the end: the rest goes out in order
        assertEquals(List.of("01234567", "89"), frames);
    }

    @Test
    void aFlushCancelsTheTimerSoNothingComesTwice() throws Exception {
        OutputBatch batch = new OutputBatch(ctx, 20, 1024, b -> frames.add(b.toString()));
        onContext(() -> {
            batch.add(Buffer.buffer("a"));
            batch.flush();
        });
        CompletableFuture<Void> later = new CompletableFuture<>();
        vertx.setTimer(100, t -> later.complete(null)); // well past the batch's own timer
        later.join();
        assertEquals(List.of("a"), frames);
    }
}
