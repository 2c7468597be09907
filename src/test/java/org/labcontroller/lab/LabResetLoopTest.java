package org.labcontroller.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.labcontroller.lab.Decision.Action;
import org.labcontroller.runtime.VmStatus;
import org.labcontroller.runtime.VmStatus.Phase;

/**
 * Reset to template in the reconcile loop: its pure decision, and the loop driven by hand with a
 * clock that moves only when the test says so and a runtime whose delete a latch can hold, so the
 * races (a reset or a delete asked for while a reset is carried out) happen exactly where the test
 * puts them.
 */
class LabResetLoopTest extends LoopFixture {
    private Lab runningLab() {
        runtime.machines.put("l1", Phase.RUNNING);
        return store.add("l1", Desired.RUNNING, LabState.RUNNING, T0);
    }

    private void requestReset() {
        assertTrue(store.requestReset("l1", store.get("l1").desired() == Desired.RUNNING ? LabState.STARTING : LabState.STOPPED,
                ResetDecision.RESETTING));
        queue.add("l1");
    }

    @Test
    void aPendingResetRemovesTheMachineThenRecordsItselfOnceNoneIsLeft() {
        Lab lab = store.add("l1", Desired.RUNNING, LabState.STARTING, T0);
        VmStatus running = new VmStatus("l1", Phase.RUNNING, null, 0);
        assertEquals(Optional.of(new Decision(Action.RESET, LabState.STARTING, ResetDecision.RESETTING)),
                ResetDecision.decide(lab, Optional.of(1), running, T0));
        assertEquals(Optional.of(new Decision(Action.RESET_DONE, LabState.STARTING, ResetDecision.RESETTING)),
                ResetDecision.decide(lab, Optional.of(1), null, T0));
        assertEquals(Optional.empty(), ResetDecision.decide(lab, Optional.empty(), running, T0), "no reset pending");
    }

    @Test
    void aStoppedLabIsShownStoppedWhileItsDiskIsRemoved() {
        Lab lab = store.add("l1", Desired.STOPPED, LabState.STOPPED, T0);
        assertEquals(Optional.of(new Decision(Action.RESET, LabState.STOPPED, ResetDecision.RESETTING)),
                ResetDecision.decide(lab, Optional.of(1), new VmStatus("l1", Phase.STOPPED, null, 0), T0));
    }

    @Test
    void aDeleteOrAnExpiryWinsOverAPendingReset() {
        VmStatus running = new VmStatus("l1", Phase.RUNNING, null, 0);
        Lab deleted = store.add("l1", Desired.DELETED, LabState.DELETING, T0);
        assertEquals(Optional.empty(), ResetDecision.decide(deleted, Optional.of(1), running, T0));
        Lab expiring = store.add("l2", Desired.RUNNING, LabState.RUNNING, T0);
        assertEquals(Optional.empty(), ResetDecision.decide(expiring, Optional.of(1), running, T0.plus(Duration.ofDays(2))));
    }

    @Test
    void aRunningLabIsRemovedAndStartedAgainFromItsTemplate() {
        runningLab();
        requestReset();
        assertEquals(LabState.STARTING, store.get("l1").state());
        run(Duration.ofSeconds(5));
        assertEquals(1, runtime.calls("delete"), "its machine and disk were removed once");
        assertEquals(1, runtime.calls("start"), "and a fresh machine started");
        assertEquals(LabState.RUNNING, store.get("l1").state());
        assertNull(store.get("l1").stateReason());
        assertEquals(Optional.empty(), store.pendingReset("l1"));
    }

    @Test
    void aStoppedLabStaysStoppedWithoutItsOldDisk() {
        runtime.machines.put("l1", Phase.STOPPED);
        store.add("l1", Desired.STOPPED, LabState.STOPPED, T0);
        requestReset();
        run(Duration.ofSeconds(5));
        assertEquals(1, runtime.calls("delete"));
        assertEquals(0, runtime.calls("start"), "a stopped lab is not started by a reset");
        assertFalse(runtime.machines.containsKey("l1"), "no machine, so no disk: its next start makes a fresh one");
        assertEquals(LabState.STOPPED, store.get("l1").state());
        assertNull(store.get("l1").stateReason());
        assertEquals(Optional.empty(), store.pendingReset("l1"));
    }

    @Test
    void aResetAskedForWhileOneIsCarriedOutIsCarriedOutToo() throws Exception {
        runningLab();
        requestReset();
        runtime.entered = new CountDownLatch(1);
        runtime.hold = new CountDownLatch(1);
        Thread worker = Thread.ofVirtual().start(() -> loop.reconcile(queue.poll().orElseThrow(), EPOCH));
        assertTrue(runtime.entered.await(10, TimeUnit.SECONDS), "the loop is removing the machine");
        requestReset(); // the student resets again while the first reset is on its way
        runtime.hold.countDown();
        worker.join();
        runtime.hold = null;
        queue.done("l1");
        queue.add("l1");
        run(Duration.ofSeconds(10));
        assertEquals(Optional.empty(), store.pendingReset("l1"));
        assertEquals(2, store.resetApplied.get("l1"));
        assertEquals(LabState.RUNNING, store.get("l1").state());
        assertTrue(runtime.calls("delete") >= 1, "the machine was removed");
        assertEquals(1, runtime.calls("start"), "one fresh machine, started after both resets were recorded");
    }

    @Test
    void aResetAskedForOnceTheFreshMachineRunsRemovesItAgain() {
        runningLab();
        requestReset();
        run(Duration.ofSeconds(5));
        requestReset();
        run(Duration.ofSeconds(5));
        assertEquals(2, runtime.calls("delete"));
        assertEquals(2, runtime.calls("start"));
        assertEquals(2, store.resetApplied.get("l1"));
        assertEquals(LabState.RUNNING, store.get("l1").state());
    }

    @Test
    void aDeleteAskedForWhileAResetIsCarriedOutWins() throws Exception {
        runningLab();
        requestReset();
        runtime.entered = new CountDownLatch(1);
        runtime.hold = new CountDownLatch(1);
        Thread worker = Thread.ofVirtual().start(() -> loop.reconcile(queue.poll().orElseThrow(), EPOCH));
        assertTrue(runtime.entered.await(10, TimeUnit.SECONDS), "the loop is removing the machine");
        store.request("l1", Desired.DELETED, LabState.DELETING, false); // the student deletes the lab meanwhile
        runtime.hold.countDown();
        worker.join();
        runtime.hold = null;
        queue.done("l1");
        queue.add("l1");
        run(Duration.ofSeconds(10));
        assertNull(store.get("l1"), "the lab is gone");
        assertFalse(runtime.machines.containsKey("l1"), "and no machine was started for it");
        assertEquals(0, runtime.calls("start"));
    }

    @Test
    void aResetCannotBeAskedForOnceTheLabIsBeingDeleted() {
        runningLab();
        store.request("l1", Desired.DELETED, LabState.DELETING, false);
        assertFalse(store.requestReset("l1", LabState.STARTING, ResetDecision.RESETTING));
    }
}
