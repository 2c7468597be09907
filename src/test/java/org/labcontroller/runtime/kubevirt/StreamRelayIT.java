package org.labcontroller.runtime.kubevirt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.labcontroller.access.WsClient;
import org.labcontroller.it.Controller;

/**
 * Two packaged controllers behind a proxy that spreads connections with no stickiness (issue 12,
 * item 7): viewers of one lab land on both replicas, yet KubeVirt sees one console connection,
 * shared by every viewer, and the screen passes from one viewer to the next with a reason — because
 * the replica that does not serve the lab relays its viewers to the one that does.
 */
class StreamRelayIT {
    private static final String SECRET = "relay-secret-for-the-it-" + UUID.randomUUID();

    private static Controller replica(FakeKubevirt fake, Path dir, boolean first) throws Exception {
        List<String> settings = new ArrayList<>(TwoControllersIT.settings(fake, first));
        Controller c = new Controller(Files.createDirectories(dir), settings);
        settings.addAll(List.of("-Dlab.replicas.address=127.0.0.1:" + c.port, "-Dlab.replicas.secret=" + SECRET,
                "-Dlab.replicas.heartbeat=1s"));
        return c;
    }

    @Test
    void viewersOnBothReplicasShareOneConsoleConnectionAndTheScreenPassesOn() throws Exception {
        Path root = Files.createDirectories(Path.of("target", "it-" + UUID.randomUUID()).toAbsolutePath());
        try (FakeKubevirt fake = new FakeKubevirt();
                Controller one = replica(fake, root.resolve("one"), true);
                Controller two = replica(fake, root.resolve("two"), false)) {
            one.start();
            two.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> one.log().contains("shares lab streams") && two.log().contains("shares lab streams"));
            String token = TwoControllersIT.token(one);
            String template = TwoControllersIT.as(one, token).body(Map.of("name", "fedora", "image",
                    Map.of("containerDisk", "quay.io/containerdisks/fedora:41"), "cpus", 1, "memoryMb", 1024,
                    "maxLifetimeMinutes", 60)).post("/api/v1/templates").then().statusCode(201).extract().path("id");
            String lab = TwoControllersIT.as(one, token).body(Map.of("templateId", template)).post("/api/v1/labs")
                    .then().statusCode(201).extract().path("id");
            await().atMost(Duration.ofSeconds(30)).until(() -> TwoControllersIT.vmsOf(fake, lab).size() == 1);
            fake.setVmStatus(KubevirtObjects.vmName(lab), "Running", null);
            fake.runInstance(KubevirtObjects.vmName(lab), "Running", null);
            for (Controller c : List.of(one, two)) {
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        "Running".equals(TwoControllersIT.as(c, token).get("/api/v1/labs/" + lab).then().extract().path("state")));
            }

            try (SpreadingProxy proxy = new SpreadingProxy(List.of(one.port, two.port))) {
                Map<String, String> auth = Map.of("Authorization", "Bearer " + token);
                URI base = URI.create("ws://127.0.0.1:" + proxy.port() + "/api/v1/labs/" + lab + "/");
                WsClient tab1 = WsClient.connect(base.resolve("console"), auth, true);
                WsClient tab2 = WsClient.connect(base.resolve("console"), auth, true);
                assertTrue(proxy.backendOf(0) != proxy.backendOf(1), "the two tabs reached different replicas");
                tab1.send("relayed-console");
                await().atMost(Duration.ofSeconds(10)).alias("tabs: [" + tab1.text() + "] [" + tab2.text() + "] opened " + fake.streamsOpened()).until(() ->
                        tab1.text().contains("relayed-console") && tab2.text().contains("relayed-console"));
                tab2.send("and-back");
                await().atMost(Duration.ofSeconds(10)).until(() -> tab1.text().contains("and-back"));
                assertEquals(1, fake.streamsOpened(), "one console connection to KubeVirt for both replicas' viewers");

                WsClient firstScreen = WsClient.connect(base.resolve("vnc"), auth, true);
                await().atMost(Duration.ofSeconds(10)).alias("screen: [" + firstScreen.text() + "] " + firstScreen.closed.getNow(null)
                        + " " + firstScreen.closeReason + " opened " + fake.streamsOpened()).until(() -> firstScreen.text().startsWith("RFB 003.008"));
                WsClient secondScreen = WsClient.connect(base.resolve("vnc"), auth, true);
                assertEquals(4104, firstScreen.closeCodeWithin(10), "the first viewer is told another took the screen over");
                await().atMost(Duration.ofSeconds(10)).until(() -> secondScreen.text().startsWith("RFB 003.008"));
                assertEquals(3, fake.streamsOpened(), "the console, then one screen connection per viewer in turn");
                await().atMost(Duration.ofSeconds(10)).until(() -> fake.streamsOpen() == 2); // the console and the newest screen
                for (WsClient c : List.of(tab1, tab2, secondScreen)) {
                    c.close();
                }
            }
        }
    }
}
