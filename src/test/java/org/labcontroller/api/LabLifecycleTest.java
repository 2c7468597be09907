package org.labcontroller.api;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Role;
import org.labcontroller.api.Api.Client;
import org.labcontroller.lab.LabService;
import org.labcontroller.lab.LabStreams;
import org.labcontroller.runtime.StreamKind;

/** A student boots the demo template through the API on real QEMU and uses its console and screen. */
@QuarkusTest
class LabLifecycleTest {
    @Inject
    LabService labs;
    @Inject
    LabStreams streams;

    /** The stream as the websocket endpoints open it: the check, then the dial. */
    private java.nio.channels.ByteChannel open(Caller caller, String id, StreamKind kind) {
        streams.check(caller, id, kind, null);
        return labs.dialStream(id, kind);
    }
    @ConfigProperty(name = "lab.qemu.state-dir")
    String stateDir;

    static String state(Client c, String id) {
        return c.req().get("/api/v1/labs/" + id).then().statusCode(200).extract().path("state");
    }

    static void awaitState(Client c, String id, String wanted, Set<String> seen) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            String s = state(c, id);
            seen.add(s);
            return wanted.equals(s);
        });
    }

    @Test
    void studentBootsTheDemoLabUsesItsConsoleAndScreenThenDeletesItWithoutLeftovers() throws Exception {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        String demoId = student.req().get("/api/v1/templates").then().statusCode(200)
                .body("items.name", hasItem("demo")).extract().path("items.find { it.name == 'demo' }.id");

        String id = student.req().body(Map.of("templateId", demoId)).post("/api/v1/labs").then().statusCode(201)
                .body("state", equalTo("Pending")).body("owner", equalTo(student.username()))
                .body("templateId", equalTo(demoId)).extract().path("id");
        Set<String> seen = new LinkedHashSet<>();
        awaitState(student, id, "Running", seen);
        student.req().get("/api/v1/labs/" + id).then().body("startedAt", containsString("T")).body("expiresAt", containsString("T"));

        Caller caller = new Caller(student.id(), student.username(), Role.STUDENT);
        try (StreamReader console = new StreamReader(open(caller, id, StreamKind.CONSOLE))) {
            console.send("\r");
            await().atMost(Duration.ofSeconds(60)).until(() -> console.text().contains("# "));
            String word = "hello-" + UUID.randomUUID().toString().substring(0, 8);
            console.send("echo " + word.substring(0, 6) + "''" + word.substring(6) + "\r");
            await().atMost(Duration.ofSeconds(30)).until(() -> console.text().contains("\n" + word));
        }
        try (StreamReader vnc = new StreamReader(open(caller, id, StreamKind.VNC))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> vnc.text().startsWith("RFB 003.008"));
        }

        student.req().post("/api/v1/labs/" + id + "/stop").then().statusCode(202);
        awaitState(student, id, "Stopped", seen);
        student.req().post("/api/v1/labs/" + id + "/start").then().statusCode(202);
        awaitState(student, id, "Running", seen);
        student.req().post("/api/v1/labs/" + id + "/restart").then().statusCode(202);
        awaitState(student, id, "Running", seen);

        student.req().delete("/api/v1/labs/" + id).then().statusCode(202).body("state", equalTo("Deleting"));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                student.req().get("/api/v1/labs/" + id).then().extract().statusCode() == 404);
        assertFalse(Files.exists(Path.of(stateDir, id)), "the lab's files are gone");
        assertFalse(Processes.anyMention(id), "no process of the lab is left");
    }
}
