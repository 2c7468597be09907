package org.labcontroller.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Credential;
import org.labcontroller.account.Policy;
import org.labcontroller.account.Role;
import org.labcontroller.problem.ErrorCode;
import org.labcontroller.storage.Page;

/** One live feed without a server: who it ends for, and that its reads never overlap. */
class LabFeedTest {
    private static final Caller STUDENT = new Caller("s1", "student", Role.STUDENT);
    private static final Policy.Scope OWN = new Policy().labScope(STUDENT);

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<LabFeed.Event> sent = new CopyOnWriteArrayList<>();
    private final CountDownLatch completed = new CountDownLatch(1);

    private LabFeed feed(LabFeed.Source source) {
        return new LabFeed(STUDENT, OWN, new Credential(false, "hash"), source, executor, sent::add, completed::countDown);
    }

    private static Lab lab(String id, String owner) {
        Instant t = Instant.EPOCH;
        return new Lab(id, owner, owner, "t1", "demo", Desired.RUNNING, 1, 0, 0, LabState.RUNNING, null, t, t, t, t);
    }

    private static LabFeed.Source source(AtomicReference<Optional<Caller>> caller, Page<Lab> page) {
        return new LabFeed.Source() {
            public Optional<Caller> current(Credential c) {
                return caller.get();
            }

            public Page<Lab> firstPage(Caller c) {
                return page;
            }
        };
    }

    @Test
    void aFeedWhoseCredentialIsGoneSendsWhyAndEnds() throws Exception {
        AtomicReference<Optional<Caller>> now = new AtomicReference<>(Optional.of(STUDENT));
        LabFeed feed = feed(source(now, new Page<>(List.of(lab("l1", "s1")), null)));
        feed.signal(true);
        now.set(Optional.empty());
        feed.signal(false);
        assertTrue(completed.await(5, TimeUnit.SECONDS));
        LabFeed.Event last = sent.get(sent.size() - 1);
        assertEquals(ErrorCode.ACCESS_REVOKED, assertInstanceOf(LabFeed.Ended.class, last).code());
        assertTrue(feed.isEnded());
    }

    @Test
    void aCallerWhoseRoleChangedIsEndedBeforeAnyPageIsSent() throws Exception {
        AtomicReference<Optional<Caller>> now = new AtomicReference<>(Optional.of(new Caller("s1", "student", Role.ADMIN)));
        LabFeed feed = feed(source(now, new Page<>(List.of(lab("l1", "s1")), null)));
        feed.signal(true);
        assertTrue(completed.await(5, TimeUnit.SECONDS));
        assertEquals(1, sent.size());
        assertInstanceOf(LabFeed.Ended.class, sent.get(0));
        assertEquals(0, feed.reads());
    }

    @Test
    void signalsFromManyThreadsRunOneReadAtATimeAndTheLastSignalIsRead() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger version = new AtomicInteger();
        LabFeed.Source counting = new LabFeed.Source() {
            public Optional<Caller> current(Credential c) {
                return Optional.of(STUDENT);
            }

            public Page<Lab> firstPage(Caller c) {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                Page<Lab> page = new Page<>(List.of(lab("l" + version.get(), "s1")), null);
                inside.decrementAndGet();
                return page;
            }
        };
        LabFeed feed = feed(counting);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService signallers = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            signallers.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 500; i++) {
                    version.incrementAndGet();
                    feed.signal(true);
                }
            });
        }
        start.countDown();
        signallers.shutdown();
        assertTrue(signallers.awaitTermination(10, TimeUnit.SECONDS));
        String lastId = "l" + version.get();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> !sent.isEmpty()
                && sent.get(sent.size() - 1) instanceof LabFeed.Labs labs && labs.page().items().get(0).id().equals(lastId));
        assertEquals(1, most.get(), "two reads of one feed overlapped");
        assertTrue(feed.reads() < 4000, "signals were not coalesced");
    }

    @Test
    void aChangeConcernsAFeedThatShowsTheLabOrMaySeeIt() throws Exception {
        AtomicReference<Optional<Caller>> now = new AtomicReference<>(Optional.of(STUDENT));
        LabFeed feed = feed(source(now, new Page<>(List.of(lab("shown", "s1")), null)));
        feed.signal(true);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> feed.reads() == 1);
        assertTrue(feed.concerns("shown", Optional.empty(), () -> null), "a deleted lab it shows");
        assertTrue(feed.concerns("new", Optional.of(lab("new", "s1")), () -> null), "a new lab of its own");
        assertFalse(feed.concerns("other", Optional.of(lab("other", "s2")), () -> "s1"), "another student's lab");
        assertFalse(feed.concerns("gone", Optional.empty(), () -> null), "a deleted lab it never showed");
    }

    @Test
    void whoIsInTheCallersLabsIsSentOnlyWhenItChanged() throws Exception {
        AtomicReference<List<LabViewers.Viewer>> viewers = new AtomicReference<>(List.of());
        LabFeed feed = feed(new LabFeed.Source() {
            public Optional<Caller> current(Credential c) {
                return Optional.of(STUDENT);
            }

            public Page<Lab> firstPage(Caller c) {
                return new Page<>(List.of(lab("l1", "s1")), null);
            }

            public List<LabViewers.Viewer> viewers(Caller c) {
                return viewers.get();
            }
        });
        feed.signal(true);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> feed.reads() == 1);
        assertEquals(1, sent.size(), "no one there: no viewers event on a new feed");
        LabViewers.Viewer ada = new LabViewers.Viewer("l1", "ada", "instructor", "watch", "console", Instant.EPOCH);
        viewers.set(List.of(ada));
        feed.signal(true);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> sent.size() == 2);
        assertEquals(List.of(ada), assertInstanceOf(LabFeed.Viewers.class, sent.get(1)).viewers());
        feed.signal(true);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> feed.reads() == 3);
        viewers.set(List.of());
        feed.signal(true);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> sent.size() == 3);
        assertEquals(List.of(), assertInstanceOf(LabFeed.Viewers.class, sent.get(2)).viewers(), "the same list is not sent twice; its end is");
    }
}
