package org.labcontroller.access;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jboss.logging.Logger;

/**
 * One thread and one selector serve every selectable lab channel (QEMU's unix sockets), so an idle
 * stream costs a selection key and no thread or buffer of its own: that is what lets one
 * controller hold thousands of open consoles.
 */
@ApplicationScoped
class SelectorLoop {
    private static final Logger LOG = Logger.getLogger(SelectorLoop.class);

    /** What a registered channel does when the selector finds it ready. */
    interface Ready {
        void ready(SelectionKey key, ByteBuffer scratch);
    }

    // NOTE: only the loop thread touches the selector's keys; other threads hand it work through
    // `tasks` and wake it up. `scratch` is the loop thread's one read buffer, lent to each read.
    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(64 * 1024);
    private final Thread thread;
    private volatile boolean running = true;

    SelectorLoop() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = Thread.ofPlatform().daemon().name("stream-selector").start(this::loop);
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    Selector selector() {
        return selector;
    }

    /** Runs the task on the loop thread: now if already there, else at the next wake-up. */
    void execute(Runnable task) {
        if (inLoop()) {
            task.run();
        } else {
            tasks.add(task);
            selector.wakeup();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        selector.wakeup();
    }

    private void loop() {
        while (running) {
            try {
                selector.select();
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                var keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (key.isValid()) {
                        ((Ready) key.attachment()).ready(key, scratch);
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.errorf(e, "Stream selector loop error");
            }
        }
    }
}
