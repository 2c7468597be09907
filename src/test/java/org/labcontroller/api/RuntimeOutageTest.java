package org.labcontroller.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api.Client;

/**
 * When the runtime cannot be observed, labs say why nothing moves and the reachability gauge drops,
 * but the replica stays ready (it still serves the API and its streams: issue 12 #9, where a blip
 * took every replica out of service); nothing is lost, and all of it recovers by itself.
 */
@QuarkusTest
class RuntimeOutageTest {
    @ConfigProperty(name = "lab.qemu.state-dir")
    String stateDir;
    @TestHTTPResource(value = "/", management = true)
    URL management;

    private static Object field(Client c, String id, String name) {
        return c.req().get("/api/v1/labs/" + id).then().extract().path(name);
    }

    private double reachableGauge() {
        String metrics = Api.anonymous().req().get(Api.onManagementPort(management, "/q/metrics")).then().statusCode(200)
                .extract().asString();
        return metrics.lines().filter(l -> l.startsWith("lab_runtime_reachable ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
                .findFirst().orElse(-1);
    }

    @Test
    void labsShowAnOutageOfTheRuntimeAndRecoverWhenItEnds() throws Exception {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        String demo = student.req().get("/api/v1/templates").then().extract().path("items.find { it.name == 'demo' }.id");
        String id = student.req().body(Map.of("templateId", demo)).post("/api/v1/labs").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(90)).until(() -> "Running".equals(field(student, id, "state")));

        // The runtime's state directory becomes unreadable (a file where the directory was).
        Path dir = Path.of(stateDir).toAbsolutePath();
        Path aside = dir.resolveSibling("vms-aside");
        Files.move(dir, aside);
        Files.writeString(dir, "not a directory");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    String.valueOf(field(student, id, "stateReason")).contains("cannot be observed"));
            Api.anonymous().req().get(Api.onManagementPort(management, "/q/health/ready")).then().statusCode(200)
                    .body("checks[0].data.runtime", org.hamcrest.Matchers.equalTo("qemu unreachable"));
            await().atMost(Duration.ofSeconds(30)).until(() -> reachableGauge() == 0.0);
            student.req().get("/api/v1/labs/" + id).then().statusCode(200); // the API still answers
        } finally {
            Files.delete(dir);
            Files.move(aside, dir);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> field(student, id, "stateReason") == null);
        assertEquals("Running", field(student, id, "state"));
        Api.anonymous().req().get(Api.onManagementPort(management, "/q/health/ready")).then().statusCode(200)
                .body("checks[0].data.runtime", org.hamcrest.Matchers.equalTo("qemu up"));
        assertEquals(1.0, reachableGauge());
        student.req().delete("/api/v1/labs/" + id).then().statusCode(202);
    }
}
