package org.labcontroller.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Stops and restarts the packaged controller under a running lab: the VM is adopted, not lost
 * or relaunched; a killed VM is started again once (the crash budget here), killed again it turns
 * the lab Failed with a reason; deleting it leaves nothing.
 */
class ControllerRestartIT {

    private static RequestSpecification as(Controller c, String cookie) {
        return given().baseUri(c.url("")).contentType(ContentType.JSON).cookie("lab_session", cookie);
    }

    private static String login(Controller c) {
        return given().baseUri(c.url("")).contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", Controller.ADMIN_PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(204).extract().cookie("lab_session");
    }

    private static void awaitState(Controller c, String cookie, String id, String state) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                state.equals(as(c, cookie).get("/api/v1/labs/" + id).then().extract().path("state")));
    }

    @Test
    void runningLabSurvivesAControllerRestartAndAKilledVmFailsTheLab() throws Exception {
        Path dataDir = Files.createDirectories(Path.of("target", "it-" + UUID.randomUUID()).toAbsolutePath());
        try (Controller controller = new Controller(dataDir, java.util.List.of("-Dlab.labs.crash-restarts=1"))) {
            controller.start();
            String cookie = login(controller);
            String demo = as(controller, cookie).get("/api/v1/templates").then().statusCode(200)
                    .extract().path("items.find { it.name == 'demo' }.id");
            String id = as(controller, cookie).body(Map.of("templateId", demo)).post("/api/v1/labs")
                    .then().statusCode(201).extract().path("id");
            awaitState(controller, cookie, id, "Running");
            long pid = QemuProcesses.pidOf(id).orElseThrow();

            controller.stop();
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the VM outlives the controller");

            controller.start();
            cookie = login(controller);
            awaitState(controller, cookie, id, "Running");
            String c1 = cookie;
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() ->
                    "Running".equals(as(controller, c1).get("/api/v1/labs/" + id).then().extract().path("state")));
            assertEquals(pid, QemuProcesses.pidOf(id).orElseThrow(), "the same VM was adopted, not relaunched");

            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                    QemuProcesses.pidOf(id).filter(p -> p != pid).isPresent());
            awaitState(controller, cookie, id, "Running");
            long second = QemuProcesses.pidOf(id).orElseThrow();
            as(controller, cookie).get("/api/v1/audit?labId=" + id).then().statusCode(200)
                    .body("items.action", org.hamcrest.Matchers.hasItem("recover"));

            ProcessHandle.of(second).ifPresent(ProcessHandle::destroyForcibly);
            awaitState(controller, cookie, id, "Failed");
            String reason = as(controller, cookie).get("/api/v1/labs/" + id).then().extract().path("stateReason");
            assertNotNull(reason);
            assertFalse(reason.isBlank());

            as(controller, cookie).delete("/api/v1/labs/" + id).then().statusCode(202);
            String c2 = cookie;
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    as(controller, c2).get("/api/v1/labs/" + id).then().extract().statusCode() == 404);
            assertFalse(QemuProcesses.pidOf(id).isPresent());
            assertFalse(Files.exists(dataDir.resolve("vms").resolve(id)));
        }
    }
}
