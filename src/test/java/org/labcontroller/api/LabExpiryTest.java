package org.labcontroller.api;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.labcontroller.app.TestClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api.Client;

/** The reconcile loop stops and deletes a lab whose lifetime ended, on real QEMU. */
@QuarkusTest
class LabExpiryTest {
    @Inject
    TestClock clock;

    @Test
    void anExpiredLabIsDeletedWithItsVmAndTheExpiryIsAudited() throws Exception {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        String demo = student.req().get("/api/v1/templates").then().extract().path("items.find { it.name == 'demo' }.id");
        String id = student.req().body(Map.of("templateId", demo)).post("/api/v1/labs").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(90)).until(() ->
                "Running".equals(student.req().get("/api/v1/labs/" + id).then().extract().path("state")));
        // The lifetime runs out: the clock moves past the demo template's 240 minutes.
        clock.advance(Duration.ofMinutes(241));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    student.req().get("/api/v1/labs/" + id).then().extract().statusCode() == 404);
        } finally {
            clock.reset();
        }
        assertFalse(Processes.anyMention(id), "the lab's VM is gone");
        admin.req().get("/api/v1/audit?labId=" + id).then().statusCode(200).body("items.action", hasItem("expire"));
    }
}
