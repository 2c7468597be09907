package org.labcontroller.access;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.labcontroller.api.Api.Client;

/** A student's running demo lab and a shell on its console, for the tests that act inside the guest. */
final class DemoShell {
    private DemoShell() {
    }

    /** Starts a lab of the seeded demo template for {@code owner} and waits until it is Running. */
    static String runningDemoLab(Client owner) {
        String demo = owner.req().get("/api/v1/templates").then().extract().path("items.find { it.name == 'demo' }.id");
        String id = owner.req().body(Map.of("templateId", demo)).post("/api/v1/labs").then().statusCode(201).extract().path("id");
        awaitState(owner, id, "Running", Duration.ofSeconds(90));
        return id;
    }

    /** The lab's console as {@code owner}, once its shell answers a command. */
    static WsClient shell(URI base, Client owner, String id) {
        URI console = URI.create(base.toString().replace("http", "ws") + "api/v1/labs/" + id + "/console");
        WsClient ws = WsClient.connect(console, Map.of("Cookie", "lab_session=" + owner.cookie()), true);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            ws.send("echo shell-$((6*7))\n");
            return ws.text().contains("shell-42");
        });
        return ws;
    }

    static void awaitState(Client owner, String id, String state, Duration within) {
        await().atMost(within).until(() -> state.equals(owner.req().get("/api/v1/labs/" + id).then().extract().path("state")));
    }
}
