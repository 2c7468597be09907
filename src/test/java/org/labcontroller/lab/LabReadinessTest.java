package org.labcontroller.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.VmStatus.Phase;

/**
 * Readiness in the reconcile loop: a lab whose machine runs but is not usable yet stays Starting
 * with what it waits for, becomes Running when the runtime says it is ready, and past its
 * template's readiness timeout is started again within its crash budget, then fails and is halted.
 * Driven by hand with a clock that moves only when the test says so.
 */
class LabReadinessTest extends LoopFixture {
    private static final String WAITING = "Booting: waiting for the console prompt.";

    @Test
    void aBootingMachineShowsStartingWithItsReasonAndRunningOnceReadyWithItsStartTime() {
        runtime.booting.add("l1");
        store.add("l1", Desired.RUNNING, LabState.PENDING, T0);
        queue.add("l1");
        run(Duration.ofSeconds(3));
        assertEquals(Phase.RUNNING, runtime.machines.get("l1"), "the machine runs");
        assertEquals(LabState.STARTING, store.get("l1").state(), "but the lab is not usable yet");
        assertEquals(WAITING, store.get("l1").stateReason());
        assertEquals(T0, store.get("l1").bootStartedAt(), "the start of the machine is recorded");
        assertNull(store.get("l1").startSeconds());

        runtime.booting.remove("l1"); // the prompt showed
        queue.add("l1"); // the runtime's event
        run(Duration.ofMillis(100));
        Lab lab = store.get("l1");
        assertEquals(LabState.RUNNING, lab.state());
        assertNull(lab.stateReason());
        assertEquals(Duration.between(T0, lab.startedAt()).toMillis() / 1000.0, lab.startSeconds());
        assertEquals(3.0, lab.startSeconds(), 0.25);
        assertEquals(1, runtime.calls("start"));
    }

    @Test
    void aMachineThatNeverBecomesReadyIsStartedAgainWithinItsBudgetThenFailsAndIsHalted() {
        store.readinessTimeoutSeconds = 30;
        runtime.booting.add("l1"); // a pattern that never shows
        store.add("l1", Desired.RUNNING, LabState.PENDING, T0);
        queue.add("l1");
        run(Duration.ofSeconds(29));
        assertEquals(LabState.STARTING, store.get("l1").state(), "still within its 30 s");
        assertEquals(WAITING, store.get("l1").stateReason());
        assertEquals(1, runtime.calls("start"));

        run(Duration.ofSeconds(2));
        assertEquals(2, runtime.calls("start"), "started again once its 30 s passed");
        assertEquals(1, runtime.calls("stop"), "after halting what was left of it");
        assertEquals(LabState.STARTING, store.get("l1").state());
        Instant secondBoot = store.get("l1").bootStartedAt();
        assertEquals(T0.plusSeconds(30), secondBoot, secondBoot.toString());

        run(Duration.ofSeconds(29));
        assertEquals(2, runtime.calls("start"), "the second boot has its own 30 s");
        run(Duration.ofSeconds(40));
        assertEquals(3, runtime.calls("start"), "the budget of 2 restarts is spent");
        run(Duration.ofSeconds(40));
        Lab lab = store.get("l1");
        assertEquals(LabState.FAILED, lab.state());
        assertEquals("Its machine did not become ready within 30 s (still waiting for the console prompt).", lab.stateReason());
        assertEquals(Phase.STOPPED, runtime.machines.get("l1"), "a guest that never becomes ready is halted");
        assertEquals(3, runtime.calls("start"));

        run(Duration.ofMinutes(5));
        assertEquals(LabState.FAILED, store.get("l1").state(), "and stays failed until the user asks again");
        assertEquals(3, runtime.calls("start"));
    }

    @Test
    void aUsersStartAfterAReadinessFailureBootsAgainWithAFreshBudget() {
        store.readinessTimeoutSeconds = 30;
        runtime.booting.add("l1");
        store.add("l1", Desired.RUNNING, LabState.PENDING, T0);
        queue.add("l1");
        run(Duration.ofSeconds(200));
        assertEquals(LabState.FAILED, store.get("l1").state());
        assertEquals(3, runtime.calls("start"));

        runtime.booting.remove("l1"); // say the instructor fixed the image
        store.request("l1", Desired.RUNNING, LabState.PENDING, false);
        queue.add("l1");
        run(Duration.ofSeconds(2));
        assertEquals(LabState.RUNNING, store.get("l1").state());
        assertEquals(4, runtime.calls("start"));
    }

    @Test
    void aRestartOfALabThatRanLongThatNeverBecomesReadyStillSpendsItsBudget() {
        store.readinessTimeoutSeconds = 30;
        store.add("l1", Desired.RUNNING, LabState.PENDING, T0);
        queue.add("l1");
        run(Duration.ofSeconds(2));
        assertEquals(LabState.RUNNING, store.get("l1").state());
        run(Duration.ofMinutes(20)); // ran well for longer than the crash window

        runtime.booting.add("l1"); // its next boot never shows the prompt
        store.request("l1", Desired.RUNNING, LabState.STARTING, true);
        queue.add("l1");
        run(Duration.ofMinutes(5));
        assertEquals(1, runtime.calls("restart"));
        assertEquals(LabState.FAILED, store.get("l1").state(), "an old start time is no good running of this boot");
        assertEquals(3, runtime.calls("start"), "its first start, then the budget of 2 after the restart");
        assertEquals(Phase.STOPPED, runtime.machines.get("l1"));
    }
}
