package org.labcontroller.api;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api.Client;

/**
 * A template's readiness through the API: stored with its defaults, refused with a problem naming
 * the field when its mode, pattern or timeout is wrong (or the runtime cannot judge it), and the
 * demo lab shows Starting with what it waits for until its prompt showed, then Running with how
 * long its start took.
 */
@QuarkusTest
class TemplateReadinessTest {
    @ConfigProperty(name = "lab.qemu.state-dir")
    String stateDir;
    Client admin;
    Client instructor;

    @BeforeEach
    void setUp() {
        admin = Api.admin();
        instructor = Api.user(admin, "instructor");
    }

    private Map<String, Object> template(Object readiness) {
        Map<String, Object> body = new HashMap<>(Api.demoTemplate(Api.unique("ready")));
        if (readiness != null) {
            body.put("readiness", readiness);
        }
        return body;
    }

    private void refused(Object readiness, String field, String detailPart) {
        Map<String, Object> body = template(readiness);
        instructor.req().body(body).post("/api/v1/templates").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo(field))
                .body("detail", containsString(detailPart));
        admin.req().get("/api/v1/templates?limit=500").then().body("items.name", not(hasItem(body.get("name"))));
    }

    @Test
    void aTemplateWithoutReadinessIsRunningWhenItsMachineRuns() {
        instructor.req().body(template(null)).post("/api/v1/templates").then().statusCode(201)
                .body("readiness.mode", equalTo("none")).body("readiness.pattern", nullValue())
                .body("readiness.timeoutSeconds", equalTo(300));
    }

    @Test
    void aConsolePatternIsStoredAndAMissingModeFollowsThePattern() {
        String id = instructor.req().body(template(Map.of("pattern", "login: ", "timeoutSeconds", 120)))
                .post("/api/v1/templates").then().statusCode(201).extract().path("id");
        instructor.req().get("/api/v1/templates/" + id).then().statusCode(200).body("readiness.mode", equalTo("console"))
                .body("readiness.pattern", equalTo("login: ")).body("readiness.timeoutSeconds", equalTo(120));
    }

    @Test
    void badReadinessIsAProblemNamingTheField() {
        refused(Map.of("mode", "telepathy"), "readiness.mode", "must be one of console, agent, none");
        refused(Map.of("mode", "agent"), "readiness.mode", "the qemu runtime cannot judge readiness by 'agent'");
        refused(Map.of("mode", "console"), "readiness.pattern", "is required");
        refused(Map.of("mode", "console", "pattern", "lab:~# ("), "readiness.pattern", "is not a valid regular expression");
        refused(Map.of("mode", "console", "pattern", "x*"), "readiness.pattern", "matches empty output");
        refused(Map.of("mode", "none", "pattern", "login: "), "readiness.pattern", "only used when readiness.mode is 'console'");
        refused(Map.of("mode", "console", "pattern", "x".repeat(257)), "readiness.pattern", "longer than 256");
        refused(Map.of("mode", "console", "pattern", "login: ", "timeoutSeconds", 5), "readiness.timeoutSeconds",
                "must be between 10 and 3600");
    }

    @Test
    void theDemoLabIsStartingUntilItsPromptShowedThenRunningWithItsStartTime() throws Exception {
        Client student = Api.user(admin, "student");
        String demoId = student.req().get("/api/v1/templates").then().statusCode(200)
                .extract().path("items.find { it.name == 'demo' }.id");
        admin.req().get("/api/v1/templates/" + demoId).then().body("readiness.mode", equalTo("console"))
                .body("readiness.pattern", equalTo("lab:~# "));
        String id = student.req().body(Map.of("templateId", demoId)).post("/api/v1/labs").then().statusCode(201)
                .extract().path("id");
        Set<String> reasons = new LinkedHashSet<>();
        Path log = Path.of(stateDir, id, "serial.log");
        String[] logAtRunning = new String[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonPath lab = student.req().get("/api/v1/labs/" + id).then().statusCode(200).extract().jsonPath();
            if ("Starting".equals(lab.getString("state")) && lab.getString("stateReason") != null) {
                reasons.add(lab.getString("stateReason"));
            }
            if (!"Running".equals(lab.getString("state"))) {
                return false;
            }
            logAtRunning[0] = Files.readString(log, StandardCharsets.ISO_8859_1);
            return true;
        });
        assertTrue(reasons.contains("Booting: waiting for the console prompt."), reasons.toString());
        assertTrue(logAtRunning[0].contains("lab:~# "), "Running only once the prompt showed: " + logAtRunning[0]);
        JsonPath lab = student.req().get("/api/v1/labs/" + id).then().statusCode(200)
                .body("bootStartedAt", containsString("T")).extract().jsonPath();
        assertTrue(lab.getDouble("startSeconds") > 0.3, "a boot of the demo takes a while: " + lab.getDouble("startSeconds"));
        student.req().delete("/api/v1/labs/" + id).then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> student.req().get("/api/v1/labs/" + id).then().extract().statusCode() == 404);
    }
}
