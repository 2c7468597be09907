package org.labcontroller.access;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api;
import org.labcontroller.api.Api.Client;

/**
 * A student who powers the demo lab off from its console (real QEMU, busybox {@code poweroff -f})
 * finds it Stopped with the reason, not started again as after a crash; audited as a power-off,
 * outside the crash budget; a later Start starts it as usual.
 */
@QuarkusTest
class GuestPowerOffTest {
    @TestHTTPResource("/")
    URI base;

    @Test
    void aGuestPowerOffLeavesTheLabStoppedUntilItsOwnerStartsIt() {
        Client admin = Api.admin();
        Client owner = Api.user(admin, "student");
        String id = DemoShell.runningDemoLab(owner);
        try {
            WsClient ws = DemoShell.shell(base, owner, id);
            try {
                ws.send("poweroff -f\n");
            } finally {
                ws.close();
            }
            DemoShell.awaitState(owner, id, "Stopped", Duration.ofSeconds(60));
            // It stays Stopped: the loop looks at it again (events, polls) and does not start it.
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() ->
                    "Stopped".equals(owner.req().get("/api/v1/labs/" + id).then().extract().path("state")));
            Map<String, Object> lab = owner.req().get("/api/v1/labs/" + id).then().extract().path("");
            assertEquals("It was shut down from inside the lab.", lab.get("stateReason"));
            assertEquals("Stopped", lab.get("desiredState"));
            List<String> actions = admin.req().get("/api/v1/audit?labId=" + id).then().extract().path("items.action");
            assertEquals(1, actions.stream().filter("power-off"::equals).count(), actions.toString());
            assertFalse(actions.contains("recover"), "not taken for a crash: " + actions);

            owner.req().post("/api/v1/labs/" + id + "/start").then().statusCode(202);
            DemoShell.awaitState(owner, id, "Running", Duration.ofSeconds(90));
        } finally {
            admin.req().delete("/api/v1/labs/" + id);
        }
    }
}
