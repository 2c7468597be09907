package org.labcontroller.access;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api;
import org.labcontroller.api.Api.Client;

/**
 * A guest kernel that panics (real QEMU, the demo kernel's pvpanic driver) is seen by the loop,
 * which starts the lab again within its crash budget and audits it; no click needed.
 */
@QuarkusTest
class GuestCrashTest {
    @TestHTTPResource("/")
    URI base;

    @Test
    void aGuestKernelPanicIsSeenAndTheLabIsStartedAgain() {
        Client admin = Api.admin();
        Client owner = Api.user(admin, "student");
        String id = DemoShell.runningDemoLab(owner);
        try {
            WsClient ws = DemoShell.shell(base, owner, id);
            try {
                // Crash the guest's kernel from its shell.
                ws.send("echo c > /proc/sysrq-trigger\n");
            } finally {
                ws.close();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> admin.req().get("/api/v1/audit?labId=" + id)
                    .then().extract().<java.util.List<String>>path("items.action").contains("recover"));
            admin.req().get("/api/v1/audit?labId=" + id).then()
                    .body("items.detail", hasItem(org.hamcrest.Matchers.containsString("crashed (kernel panic)")));
            await().atMost(Duration.ofSeconds(90)).until(() ->
                    "Running".equals(owner.req().get("/api/v1/labs/" + id).then().extract().path("state")));
        } finally {
            admin.req().delete("/api/v1/labs/" + id);
        }
    }
}
