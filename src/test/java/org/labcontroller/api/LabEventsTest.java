package org.labcontroller.api;

import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api.Client;

/** The live lab list the UI listens to: server-sent events that follow each state change. */
@QuarkusTest
class LabEventsTest {
    @TestHTTPResource("/api/v1/labs/events")
    URI events;

    @Test
    void eventsFollowALabFromCreationToRunningAndOnlyShowTheCallersLabs() throws Exception {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        Client other = Api.user(admin, "student");
        StringBuffer seen = new StringBuffer();
        StringBuffer seenByOther = new StringBuffer();
        listen(student, seen);
        listen(other, seenByOther);
        String demo = student.req().get("/api/v1/templates").then().extract().path("items.find { it.name == 'demo' }.id");
        String id = student.req().body(Map.of("templateId", demo)).post("/api/v1/labs").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(90)).until(() -> seen.toString().contains("\"id\":\"" + id + "\"")
                && seen.toString().contains("\"state\":\"Running\""));
        student.req().delete("/api/v1/labs/" + id).then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String all = seen.toString();
            String last = all.substring(all.lastIndexOf("data:"));
            return !last.contains(id);
        });
        org.junit.jupiter.api.Assertions.assertFalse(seenByOther.toString().contains(id));
    }

    private void listen(Client c, StringBuffer into) {
        HttpRequest request = HttpRequest.newBuilder(events).header("Cookie", "lab_session=" + c.cookie())
                .header("Accept", "text/event-stream").build();
        Thread.ofVirtual().start(() -> {
            try {
                var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (var reader = new BufferedReader(new InputStreamReader(response.body()))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        into.append(line).append('\n');
                    }
                }
            } catch (Exception e) {
                into.append("error: ").append(e);
            }
        });
    }
}
