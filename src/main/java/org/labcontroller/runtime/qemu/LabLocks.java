package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.labcontroller.runtime.RuntimeFailure;

/**
 * Serialises the lifecycle calls (start, stop, restart, delete) of one lab, so that two reconcile
 * threads can never launch or kill the same VM at once, while different labs proceed in parallel.
 *
 * <p>NOTE: locks are reentrant (restart may call start) and never removed: one small object per lab
 * id seen, which guarantees two threads never hold different locks for the same lab.
 */
final class LabLocks {
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** A lifecycle step; file errors become a {@link RuntimeFailure}. */
    interface LabAction {
        void run() throws RuntimeFailure, IOException;
    }

    void run(VmDirectory vm, LabAction action) throws RuntimeFailure {
        ReentrantLock lock = locks.computeIfAbsent(vm.labId(), id -> new ReentrantLock());
        lock.lock();
        try {
            action.run();
        } catch (IOException e) {
            throw new RuntimeFailure("File error for lab " + vm.labId() + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }
}
