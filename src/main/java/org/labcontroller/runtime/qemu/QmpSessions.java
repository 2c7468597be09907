package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs short QMP conversations with the labs' QEMU processes, one at a time per lab.
 *
 * <p>NOTE: QEMU's QMP socket serves a single client; a second connection would sit in the listen
 * backlog until the first closes. A per-lab lock therefore serialises sessions between the observe
 * loop and lifecycle calls, and a caller that cannot get the lock within the timeout fails like a
 * monitor that does not answer, instead of queueing behind a hung session.
 */
final class QmpSessions {
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** One QMP conversation. */
    interface Conversation<T> {
        T talk(QmpClient qmp) throws IOException;
    }

    /** Connects to the lab's monitor, runs {@code conversation}, disconnects. */
    <T> T call(VmDirectory vm, Duration timeout, Conversation<T> conversation) throws IOException {
        ReentrantLock lock = locks.computeIfAbsent(vm.labId(), id -> new ReentrantLock());
        try {
            if (!lock.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("QMP of lab " + vm.labId() + " is busy");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for QMP of lab " + vm.labId(), e);
        }
        try (QmpClient qmp = QmpClient.connect(vm.qmpSocket(), timeout)) {
            return conversation.talk(qmp);
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a deleted lab's lock. */
    void forget(String labId) {
        locks.remove(labId);
    }
}
