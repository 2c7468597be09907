package org.labcontroller.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus.Phase;

/**
 * The reconcile loop's retry rules against a runtime that injects faults, driven by hand with a
 * clock that moves only when the test says so: each test runs in milliseconds.
 */
class LabLoopTest extends LoopFixture {
    private static RuntimeFailure transientFailure() {
        return new RuntimeFailure("The Kubernetes API did not answer in time.");
    }

    @Test
    void aStartThatFailsTwiceEndsRunningWithoutAClick() {
        runtime.fail("start", 2, LabLoopTest::transientFailure);
        store.add("l1", Desired.RUNNING, LabState.PENDING, T0);
        queue.add("l1");
        run(Duration.ofSeconds(2));
        assertEquals(LabState.STARTING, store.get("l1").state(), "shown as starting while it is retried");
        assertTrue(store.get("l1").stateReason().contains("Trying again in"), store.get("l1").stateReason());
        run(Duration.ofSeconds(10));
        assertEquals(LabState.RUNNING, store.get("l1").state());
        assertNull(store.get("l1").stateReason());
        assertEquals(3, runtime.calls("start"));
    }

    @Test
    void aConflictAnswerIsRetriedUntilTheLabRuns() {
        runtime.fail("start", 1, () -> new RuntimeFailure("Could not apply the VirtualMachine because it changed meanwhile (409 Conflict)."));
        store.add("l1", Desired.RUNNING, LabState.PENDING, T0);
        queue.add("l1");
        run(Duration.ofSeconds(5));
        assertEquals(LabState.RUNNING, store.get("l1").state());
        assertEquals(2, runtime.calls("start"));
    }

    @Test
    void aStopThatKeepsFailingStaysWithinTheBackoffSchedule() {
        runtime.machines.put("l1", Phase.RUNNING);
        runtime.fail("stop", 1_000, LabLoopTest::transientFailure);
        store.add("l1", Desired.STOPPED, LabState.STOPPING, T0);
        queue.add("l1");
        run(Duration.ofMinutes(1));
        // 1 s doubling with up to 20 % jitter: tries at 0, ~1, ~3, ~7, ~15, ~31 s (and ~63 s is past the minute).
        int calls = runtime.calls("stop");
        assertTrue(calls >= 5 && calls <= 6, "stop calls in the failing minute: " + calls);
        run(Duration.ofMinutes(30));
        // Then at most one call every 5 minutes (the cap).
        assertTrue(runtime.calls("stop") - calls <= 8, "calls in the next 30 minutes: " + (runtime.calls("stop") - calls));
        assertEquals(LabState.STOPPING, store.get("l1").state());
    }

    @Test
    void aPermanentFailureShowsItsReasonAndIsNotRetried() {
        runtime.fail("start", 1, () -> RuntimeFailure.permanent("The lab's image cannot be used (image.kernel): missing", null));
        store.add("l1", Desired.RUNNING, LabState.PENDING, T0);
        queue.add("l1");
        run(Duration.ofMinutes(10));
        assertEquals(LabState.FAILED, store.get("l1").state());
        assertEquals("The lab's image cannot be used (image.kernel): missing", store.get("l1").stateReason());
        assertEquals(1, runtime.calls("start"));
    }

    @Test
    void anUnexpectedExceptionFailsTheLabWithAReasonInsteadOfSpinning() {
        runtime.fail("start", 1, NullPointerException::new);
        store.add("l1", Desired.RUNNING, LabState.PENDING, T0);
        queue.add("l1");
        run(Duration.ofMinutes(10));
        assertEquals(LabState.FAILED, store.get("l1").state());
        assertTrue(store.get("l1").stateReason().contains("internal error"), store.get("l1").stateReason());
        assertEquals(1, runtime.calls("start"));
        assertEquals(List.of("l1"), hooks.unexpected);
    }

    @Test
    void aUsersStartAfterAPermanentFailureTriesAgain() {
        runtime.fail("start", 1, () -> RuntimeFailure.permanent("bad image", null));
        store.add("l1", Desired.RUNNING, LabState.PENDING, T0);
        queue.add("l1");
        run(Duration.ofSeconds(5));
        store.request("l1", Desired.RUNNING, LabState.PENDING, false);
        queue.add("l1");
        run(Duration.ofSeconds(5));
        assertEquals(LabState.RUNNING, store.get("l1").state());
    }

    @Test
    void stoppingAFailedMachineHaltsIt() {
        runtime.machines.put("l1", Phase.FAILED);
        store.add("l1", Desired.STOPPED, LabState.FAILED, T0);
        queue.add("l1");
        run(Duration.ofSeconds(5));
        assertEquals(1, runtime.calls("stop"));
        assertEquals(Phase.STOPPED, runtime.machines.get("l1"));
        assertEquals(LabState.STOPPED, store.get("l1").state());
    }

    @Test
    void aMachineThatDiesIsStartedAgainWithinItsBudgetThenTheLabFails() {
        store.add("l1", Desired.RUNNING, LabState.PENDING, T0);
        queue.add("l1");
        run(Duration.ofSeconds(2));
        assertEquals(LabState.RUNNING, store.get("l1").state());
        for (int crash = 1; crash <= 2; crash++) {
            runtime.machines.put("l1", Phase.FAILED); // the guest panicked, or QEMU was killed
            queue.add("l1"); // the runtime's event
            run(Duration.ofSeconds(2));
            assertEquals(LabState.RUNNING, store.get("l1").state(), "started again after crash " + crash);
        }
        assertEquals(3, runtime.calls("start"));
        runtime.machines.put("l1", Phase.FAILED);
        queue.add("l1");
        run(Duration.ofMinutes(5));
        assertEquals(LabState.FAILED, store.get("l1").state(), "the budget of 2 is spent");
        assertEquals("it crashed", store.get("l1").stateReason());
        assertEquals(3, runtime.calls("start"));
    }

    @Test
    void anOrphanMachineIsDeletedOnce() {
        runtime.machines.put("gone", Phase.RUNNING);
        queue.add("gone");
        run(Duration.ofMinutes(1));
        assertEquals(1, runtime.calls("delete"));
        assertTrue(runtime.machines.isEmpty());
    }

    @Test
    void aWriteFromAnOlderEpochIsRefused() {
        store.add("l1", Desired.RUNNING, LabState.PENDING, T0);
        store.currentEpoch = 2; // a newer leader took over
        queue.add("l1");
        run(Duration.ofSeconds(3));
        assertEquals(LabState.PENDING, store.get("l1").state(), "the old leader's writes changed nothing");
    }

    @Test
    void aRestartUnderAConcurrentResyncRebootsOnce() throws Exception {
        store.add("l1", Desired.RUNNING, LabState.RUNNING, T0);
        runtime.machines.put("l1", Phase.RUNNING);
        store.request("l1", Desired.RUNNING, LabState.STARTING, true);
        runtime.hold = new CountDownLatch(1);
        runtime.entered = new CountDownLatch(1);
        queue.add("l1");
        Thread first = Thread.ofPlatform().start(() -> work(queue));
        assertTrue(runtime.entered.await(5, TimeUnit.SECONDS), "the restart is in progress");
        // A resync and an event both ask for the lab while its restart runs; a second worker waits.
        queue.offer("l1");
        queue.add("l1");
        Thread second = Thread.ofPlatform().start(() -> work(queue));
        runtime.hold.countDown();
        first.join(5_000);
        second.join(5_000);
        work(queue); // the turn the resync and the event asked for: it reads the lab fresh
        assertEquals(1, runtime.calls("restart-requests"), "the loop asked the runtime to restart once");
        assertEquals(1, runtime.calls("restart"));
        assertEquals(LabState.RUNNING, store.get("l1").state());
    }

    private static final String SHUT_DOWN_INSIDE = "It was shut down from inside the lab.";

    @Test
    void aGuestPowerOffLeavesTheLabStoppedUntilTheUserStartsIt() {
        store.add("l1", Desired.RUNNING, LabState.PENDING, T0);
        queue.add("l1");
        run(Duration.ofSeconds(2));
        assertEquals(LabState.RUNNING, store.get("l1").state());
        runtime.powerOff("l1"); // the student ran poweroff
        queue.add("l1"); // the runtime's event
        run(Duration.ofMinutes(5));
        Lab lab = store.get("l1");
        assertEquals(LabState.STOPPED, lab.state(), "not started again");
        assertEquals(Desired.STOPPED, lab.desired(), "as if the user had stopped it");
        assertEquals(2, lab.desiredVersion(), "the desired version is bumped like a request's");
        assertEquals(SHUT_DOWN_INSIDE, lab.stateReason());
        assertEquals(1, runtime.calls("start"));
        assertEquals(1, runtime.calls("stop"), "what is left of the machine is halted once");
        assertEquals(List.of("l1"), hooks.poweredOff, "audited");
        assertEquals(List.of(), hooks.recovered, "not a crash");
        store.request("l1", Desired.RUNNING, LabState.PENDING, false);
        queue.add("l1");
        run(Duration.ofSeconds(5));
        assertEquals(LabState.RUNNING, store.get("l1").state(), "a later Start starts it normally");
        assertNull(store.get("l1").stateReason());
        assertEquals(2, runtime.calls("start"));
    }

    @Test
    void aGuestPowerOffDoesNotSpendTheCrashBudget() {
        store.add("l1", Desired.RUNNING, LabState.PENDING, T0);
        queue.add("l1");
        run(Duration.ofSeconds(2));
        for (int i = 0; i < 3; i++) {
            runtime.powerOff("l1");
            queue.add("l1");
            run(Duration.ofSeconds(5));
            assertEquals(LabState.STOPPED, store.get("l1").state());
            store.request("l1", Desired.RUNNING, LabState.PENDING, false);
            queue.add("l1");
            run(Duration.ofSeconds(5));
            assertEquals(LabState.RUNNING, store.get("l1").state());
        }
        assertEquals(List.of(), hooks.recovered);
        assertEquals(3, hooks.poweredOff.size());
    }

    @Test
    void aUsersStartArrivingWhileThePowerOffIsRecordedWins() {
        store.add("l1", Desired.RUNNING, LabState.PENDING, T0);
        queue.add("l1");
        run(Duration.ofSeconds(2));
        runtime.powerOff("l1");
        // The user's Start lands between the loop's read of the lab and its write of the power-off.
        store.beforePowerOffWrite = () -> {
            store.beforePowerOffWrite = () -> { };
            store.request("l1", Desired.RUNNING, LabState.PENDING, false);
        };
        queue.add("l1");
        run(Duration.ofSeconds(5));
        Lab lab = store.get("l1");
        assertEquals(Desired.RUNNING, lab.desired(), "the user's request is not overwritten");
        assertEquals(LabState.RUNNING, lab.state(), "and it is carried out");
        assertEquals(2, runtime.calls("start"));
        assertEquals(1, runtime.calls("stop"), "what was left of it was halted before the start");
        assertEquals(List.of(), hooks.poweredOff, "nothing was recorded, so nothing is audited");
    }

    @Test
    void aStartOfAPoweredOffMachineThatFailsOnceIsRetriedNotTakenForANewPowerOff() {
        store.add("l1", Desired.RUNNING, LabState.PENDING, T0);
        queue.add("l1");
        run(Duration.ofSeconds(2));
        runtime.powerOff("l1");
        store.beforePowerOffWrite = () -> {
            store.beforePowerOffWrite = () -> { };
            store.request("l1", Desired.RUNNING, LabState.PENDING, false);
        };
        runtime.fail("start", 1, LabLoopTest::transientFailure);
        queue.add("l1");
        run(Duration.ofSeconds(10));
        assertEquals(Desired.RUNNING, store.get("l1").desired(), "the user's Start still stands");
        assertEquals(LabState.RUNNING, store.get("l1").state());
        assertEquals(List.of(), hooks.poweredOff);
    }

    @Test
    void aGuestPowerOffWhileTheLabIsBeingStoppedIsJustStopped() {
        store.add("l1", Desired.STOPPED, LabState.STOPPING, T0);
        runtime.powerOff("l1");
        queue.add("l1");
        run(Duration.ofSeconds(5));
        assertEquals(LabState.STOPPED, store.get("l1").state());
        assertNull(store.get("l1").stateReason());
        assertEquals(1, store.get("l1").desiredVersion());
        assertEquals(List.of(), hooks.poweredOff);
    }

    /** One worker's turns until the queue has nothing due. */
    private void work(WorkQueue q) {
        Optional<String> key;
        while ((key = q.poll()).isPresent()) {
            String id = key.get();
            loop.reconcile(id, EPOCH).ifPresent(d -> { });
            q.done(id);
        }
    }
}
