package org.labcontroller.access;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.time.Instant;
import org.labcontroller.account.Caller;
import org.labcontroller.lab.Desired;
import org.labcontroller.lab.Lab;
import org.labcontroller.lab.LabService;
import org.labcontroller.lab.LabState;
import org.labcontroller.problem.ErrorCode;
import org.labcontroller.runtime.StreamKind;

/**
 * The console hubs' lifecycle with a hand-driven lab console (not selectable, as KubeVirt's) and
 * real websockets: dialling outside any lock, ended hubs never handed out, released reservations,
 * and viewers told why their console ended.
 */
class HubTest {
    Vertx vertx;
    SessionServer server;
    ConsoleHubs hubs;
    TestStreamConfig config = new TestStreamConfig();
    final List<FakeLabChannel> dialled = new CopyOnWriteArrayList<>();
    volatile CountDownLatch dialEntered = new CountDownLatch(0);
    volatile CountDownLatch dialGate = new CountDownLatch(0);
    volatile Desired desired = Desired.RUNNING;
    volatile boolean holdWrites;
    volatile CountDownLatch lookupGate = new CountDownLatch(0);
    final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        server = new SessionServer(vertx, StreamKind.CONSOLE);
        hubs = new ConsoleHubs();
        hubs.vertx = vertx;
        hubs.config = config;
        hubs.metrics = new StreamMetrics(new SimpleMeterRegistry());
        hubs.backends = new Backends();
        hubs.backends.vertx = vertx;
        hubs.backends.config = config;
        hubs.labs = new LabService() {
            @Override
            public Lab find(Caller caller, String id) {
                try {
                    lookupGate.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                Instant now = Instant.now();
                return new Lab(id, "u", "u", "t", "demo", desired, 1, 0, 0, LabState.RUNNING, null, now, now, now, now.plusSeconds(3600));
            }

            @Override
            public byte[] consoleHistory(String id, int maxBytes) {
                return new byte[0]; // the fake lab printed nothing before it was dialled
            }

            @Override
            public ByteChannel dialStream(String id, StreamKind kind) {
                dialEntered.countDown();
                try {
                    dialGate.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                FakeLabChannel lab = new FakeLabChannel(holdWrites);
                dialled.add(lab);
                return lab;
            }
        };
    }

    @AfterEach
    void tearDown() throws Exception {
        dialGate.countDown();
        lookupGate.countDown();
        threads.shutdownNow();
        hubs.closeAll();
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    /** A viewer whose websocket is open and joined to the lab's hub. */
    record Viewer(WsClient client, StreamSession session, ConsoleHub hub) {
    }

    Viewer join() throws Exception {
        ConsoleHub hub = hubs.reserve("lab");
        WsClient client = WsClient.connect(server.uri(), Map.of(), true);
        StreamSession session = server.next();
        hub.join(session);
        return new Viewer(client, session, hub);
    }

    @Test
    void aFailedWriteToTheLabEndsTheHubTellsItsViewersAndANewViewerGetsAFreshDial() throws Exception {
        Viewer viewer = join();
        dialled.get(0).failWrites = true;
        viewer.client().send("ls\r");
        assertEquals(ErrorCode.UNAVAILABLE.closeCode(), viewer.client().closeCodeWithin(10));
        assertTrue(viewer.client().closeReason.contains("failed"), viewer.client().closeReason);
        Viewer next = join();
        assertNotSame(viewer.hub(), next.hub());
        assertEquals(2, dialled.size(), "the console was dialled again");
        dialled.get(1).emit("login: ");
        await().atMost(Duration.ofSeconds(10)).until(() -> next.client().text().equals("login: "));
    }

    @Test
    void theDialRunsOutsideTheMapSoADropDoesNotWaitForIt() throws Exception {
        dialEntered = new CountDownLatch(1);
        dialGate = new CountDownLatch(1);
        CompletableFuture<ConsoleHub> reserving = CompletableFuture.supplyAsync(() -> hubs.reserve("lab"), threads);
        assertTrue(dialEntered.await(10, TimeUnit.SECONDS));
        CompletableFuture<Void> dropping = CompletableFuture.runAsync(() -> hubs.drop("lab", ErrorCode.LAB_STOPPED, "The lab was stopped"), threads);
        dropping.get(10, TimeUnit.SECONDS); // the dial is still blocked here
        dialGate.countDown();
        ConsoleHub hub = reserving.get(10, TimeUnit.SECONDS);
        assertTrue(!hub.ended(), "the dropped hub was not handed out");
        assertTrue(dialled.get(0).closed.await(10, TimeUnit.SECONDS), "the dropped hub's late dial was closed");
    }

    @Test
    void aHubWhoseUpgradeFailedIsReleasedAndLingersOut() throws Exception {
        config.consoleLinger = Duration.ofMillis(1);
        ConsoleHub hub = hubs.reserve("lab");
        hub.release();
        assertTrue(dialled.get(0).closed.await(10, TimeUnit.SECONDS), "the console connection was closed");
        await().atMost(Duration.ofSeconds(10)).until(hub::ended);
        assertNotSame(hub, hubs.reserve("lab"));
    }

    @Test
    void aViewerJoiningAHubThatEndedMeanwhileIsToldWhyAndTheNextViewerGetsAFreshHub() throws Exception {
        ConsoleHub hub = hubs.reserve("lab");
        dialled.get(0).hangUp();
        await().atMost(Duration.ofSeconds(10)).until(hub::ended);
        WsClient client = WsClient.connect(server.uri(), Map.of(), true);
        hub.join(server.next());
        assertEquals(ErrorCode.UNAVAILABLE.closeCode(), client.closeCodeWithin(10));
        assertTrue(client.closeReason.contains("reconnect"), client.closeReason);
        assertNotSame(hub, hubs.reserve("lab"));
    }

    @Test
    void aConsoleThatEndsBecauseTheLabWasStoppedSaysSo() throws Exception {
        Viewer viewer = join();
        desired = Desired.STOPPED;
        dialled.get(0).hangUp();
        assertEquals(ErrorCode.LAB_STOPPED.closeCode(), viewer.client().closeCodeWithin(10));
        assertEquals("The lab was stopped", viewer.client().closeReason);
    }

    @Test
    void aConsoleThatEndsWhileTheLabShouldRunSaysItEndedUnexpectedly() throws Exception {
        Viewer viewer = join();
        dialled.get(0).hangUp();
        assertEquals(ErrorCode.UNAVAILABLE.closeCode(), viewer.client().closeCodeWithin(10));
        assertTrue(viewer.client().closeReason.contains("unexpectedly"), viewer.client().closeReason);
    }

    @Test
    void aDropTellsTheViewersTheReasonItWasGiven() throws Exception {
        Viewer viewer = join();
        hubs.drop("lab", ErrorCode.LAB_DELETED, "The lab was deleted");
        assertEquals(4101, viewer.client().closeCodeWithin(10));
        assertEquals("The lab was deleted", viewer.client().closeReason);
    }

    @Test
    void aJoiningViewerGetsTheScrollbackThenLiveOutputWithNoByteTwice() throws Exception {
        Viewer first = join();
        dialled.get(0).emit("hello ");
        await().atMost(Duration.ofSeconds(10)).until(() -> first.client().text().equals("hello "));
        ConsoleHub hub = hubs.reserve("lab");
        assertSame(first.hub(), hub);
        WsClient client = WsClient.connect(server.uri(), Map.of(), true);
        StreamSession session = server.next();
        dialled.get(0).emit("world");
        hub.join(session);
        dialled.get(0).emit("!");
        await().atMost(Duration.ofSeconds(10)).until(() -> first.client().text().equals("hello world!"));
        await().atMost(Duration.ofSeconds(10)).until(() -> client.text().endsWith("!"));
        assertEquals("hello world!", client.text());
    }

    @Test
    void twoViewersTypingIntoALabThatIsNotReadingAreBothResumedWhenItReads() throws Exception {
        config.backendQueueBytes = 4;
        holdWrites = true;
        Viewer first = join();
        Viewer second = join();
        assertSame(first.hub(), second.hub());
        FakeLabChannel lab = dialled.get(0);
        first.client().send("first-1!");
        second.client().send("second-1");
        // Both pumps found the lab's queue full and paused their websockets.
        await().atMost(Duration.ofSeconds(10)).until(() -> first.session().fromBrowser.get() == 8 && second.session().fromBrowser.get() == 8);
        lab.openWrites();
        first.client().send("first-2!");
        second.client().send("second-2");
        await().atMost(Duration.ofSeconds(10)).until(() -> lab.written.get() == 32);
    }

    @Test
    void aViewerWhoseBrowserLeftBeforeItJoinedDoesNotKeepTheHubOpen() throws Exception {
        config.consoleLinger = Duration.ofMillis(1);
        ConsoleHub hub = hubs.reserve("lab");
        WsClient client = WsClient.connect(server.uri(), Map.of(), true);
        StreamSession session = server.next();
        client.close();
        await().atMost(Duration.ofSeconds(10)).until(session.ws::isClosed);
        hub.join(session);
        assertTrue(session.isClosed());
        assertTrue(dialled.get(0).closed.await(10, TimeUnit.SECONDS), "the hub lingered out and closed the console");
    }

    @Test
    void anOldHubEndingAfterANewerOneWasDialledLeavesTheNewerOneRegistered() throws Exception {
        Viewer viewer = join();
        lookupGate = new CountDownLatch(1);
        dialled.get(0).hangUp();
        // The old hub is ending (it is asking why) when the next viewer arrives and gets a new hub.
        await().atMost(Duration.ofSeconds(10)).until(viewer.hub()::ended);
        ConsoleHub newer = hubs.reserve("lab");
        assertNotSame(viewer.hub(), newer);
        lookupGate.countDown();
        assertEquals(ErrorCode.UNAVAILABLE.closeCode(), viewer.client().closeCodeWithin(10));
        // A task on the old hub's context after the one that ended it: the end is complete.
        assertTrue(!viewer.hub().reserve());
        assertSame(newer, hubs.reserve("lab"), "the old hub's end did not evict the newer one");
        assertEquals(2, dialled.size());
    }
}
