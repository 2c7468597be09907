package org.labcontroller.runtime.kubevirt;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
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
 * Two packaged controllers (lab.runtime=kubevirt) against one Kubernetes mock server and one
 * PostgreSQL database, as two replicas run in a cluster: both serve the API, only the holder of
 * the Lease reconciles, and when it stops the other takes over without losing or duplicating a VM.
 */
class TwoControllersIT {

    static List<String> settings(FakeKubevirt fake, boolean first) {
        List<String> s = new ArrayList<>(List.of(
                "-Dlab.runtime=kubevirt",
                "-Dquarkus.kubernetes-client.api-server-url=" + fake.client().getConfiguration().getMasterUrl(),
                "-Dquarkus.kubernetes-client.trust-certs=true",
                "-Dquarkus.kubernetes-client.namespace=" + FakeKubevirt.NAMESPACE,
                "-Dlab.kubevirt.leader-election.lease-duration=4s",
                "-Dlab.kubevirt.leader-election.renew-deadline=3s",
                "-Dlab.kubevirt.leader-election.retry-period=500ms",
                "-Dlab.database.kind=postgresql",
                "-Dlab.database.url=" + System.getProperty("lab.test.postgres-url", "jdbc:postgresql://localhost:5432/lab_test"),
                "-Dlab.database.username=lab",
                "-Dlab.database.password=lab"));
        if (first) {
            s.add("-Dlab.database.clean-at-start=true");
            s.add("-Dquarkus.flyway.pg.clean-disabled=false");
        }
        return s;
    }

    static RequestSpecification as(Controller c, String token) {
        return given().baseUri(c.url("")).contentType(ContentType.JSON).header("Authorization", "Bearer " + token);
    }

    static String token(Controller c) {
        String cookie = given().baseUri(c.url("")).contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", Controller.ADMIN_PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(204).extract().cookie("lab_session");
        return given().baseUri(c.url("")).contentType(ContentType.JSON).cookie("lab_session", cookie)
                .body(Map.of("name", "it")).post("/api/v1/me/tokens").then().statusCode(201).extract().path("token");
    }

    static List<GenericKubernetesResource> vmsOf(FakeKubevirt fake, String labId) {
        return fake.kubevirt().genericKubernetesResources(KubevirtObjects.VM).inNamespace(FakeKubevirt.NAMESPACE)
                .withLabel(KubevirtObjects.LAB_ID, labId).list().getItems();
    }

    /** KubeVirt serves one connection per stream: the console is shared, the screen passes to the newest viewer. */
    private static void screenIsTakenOverAndConsoleShared(Controller c, String token, String labId) {
        Map<String, String> auth = Map.of("Authorization", "Bearer " + token);
        URI base = URI.create(c.url("/api/v1/labs/" + labId + "/").replace("http", "ws"));
        WsClient firstScreen = WsClient.connect(base.resolve("vnc"), auth, true);
        await().atMost(Duration.ofSeconds(10)).until(() -> firstScreen.text().startsWith("RFB 003.008"));
        WsClient secondScreen = WsClient.connect(base.resolve("vnc"), auth, true);
        assertEquals(4104, firstScreen.closeCode());
        await().atMost(Duration.ofSeconds(10)).until(() -> secondScreen.text().startsWith("RFB 003.008"));
        secondScreen.close();

        WsClient tab1 = WsClient.connect(base.resolve("console"), auth, true);
        WsClient tab2 = WsClient.connect(base.resolve("console"), auth, true);
        tab1.send("shared-console");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                tab1.text().contains("shared-console") && tab2.text().contains("shared-console"));
        tab1.close();
        tab2.close();
    }

    private static boolean leads(Controller c) throws Exception {
        String log = c.log();
        return log.lastIndexOf("now leads") > log.lastIndexOf("no longer leads");
    }

    @Test
    void onlyTheLeaderReconcilesAndTheOtherTakesOverWithoutLosingOrDuplicatingAVm() throws Exception {
        Path root = Files.createDirectories(Path.of("target", "it-" + UUID.randomUUID()).toAbsolutePath());
        try (FakeKubevirt fake = new FakeKubevirt();
                Controller one = new Controller(Files.createDirectories(root.resolve("one")), settings(fake, true));
                Controller two = new Controller(Files.createDirectories(root.resolve("two")), settings(fake, false))) {
            one.start();
            two.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> leads(one) != leads(two));
            Controller leader = leads(one) ? one : two;
            Controller follower = leader == one ? two : one;

            String token = token(follower);
            String template = as(follower, token).body(Map.of("name", "fedora", "image",
                    Map.of("containerDisk", "quay.io/containerdisks/fedora:41"), "cpus", 1, "memoryMb", 1024,
                    "maxLifetimeMinutes", 60)).post("/api/v1/templates").then().statusCode(201).extract().path("id");
            String first = as(follower, token).body(Map.of("templateId", template)).post("/api/v1/labs")
                    .then().statusCode(201).extract().path("id");
            await().atMost(Duration.ofSeconds(30)).until(() -> vmsOf(fake, first).size() == 1);

            leader.stop();
            await().atMost(Duration.ofSeconds(20)).until(() -> leads(follower));
            String second = as(follower, token).body(Map.of("templateId", template)).post("/api/v1/labs")
                    .then().statusCode(201).extract().path("id");
            await().atMost(Duration.ofSeconds(30)).until(() -> vmsOf(fake, second).size() == 1);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> vmsOf(fake, first).size() == 1);

            // KubeVirt starts the instance; the lab runs and its streams open through the controller.
            fake.setVmStatus(KubevirtObjects.vmName(second), "Running", null);
            fake.runInstance(KubevirtObjects.vmName(second), "Running", null);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    "Running".equals(as(follower, token).get("/api/v1/labs/" + second).then().extract().path("state")));
            screenIsTakenOverAndConsoleShared(follower, token, second);


            as(follower, token).delete("/api/v1/labs/" + first).then().statusCode(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> vmsOf(fake, first).isEmpty());
            assertEquals(1, vmsOf(fake, second).size());
        }
    }
}
