package org.labcontroller.access;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api;
import org.labcontroller.api.Api.Client;
import org.labcontroller.api.FeedClient;
import org.labcontroller.api.Parallel;

/**
 * Per-account caps on what stays open: live feeds ({@code lab.streams.max-feeds-per-user}, 5) and
 * console plus screen websockets ({@code lab.streams.max-streams-per-user}, 20). Opened all at
 * once they never exceed the cap, the rest get a 429 problem, and one that ends frees its place.
 */
@QuarkusTest
class StreamCapsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URI base;

    @Test
    void twentyFeedsOpenedAtOnceNeverExceedTheCapAndAClosedOneFreesItsPlace() throws Exception {
        Client student = Api.user(Api.admin(), "student");
        List<FeedClient> feeds = Parallel.run(20, i -> () -> FeedClient.withCookie(student.cookie()));
        List<FeedClient> open = new ArrayList<>();
        int refused = 0;
        for (FeedClient f : feeds) {
            if (f.status() == 200) {
                open.add(f);
            } else {
                assertEquals(429, f.status());
                assertTrue(f.awaitEnd(WAIT));
                assertTrue(f.text().contains("too-many-requests"), f.text());
                refused++;
            }
        }
        assertEquals(5, open.size());
        assertEquals(15, refused);
        open.get(0).close();
        List<FeedClient> again = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            FeedClient f = FeedClient.withCookie(student.cookie());
            again.add(f);
            return f.status() == 200;
        });
        assertEquals(429, FeedClient.withCookie(student.cookie()).status(), "the freed place was taken again");
        for (FeedClient f : open) {
            f.close();
        }
        for (FeedClient f : again) {
            f.close();
        }
    }

    @Test
    void streamsOpenedAtOnceNeverExceedTheCapAndAClosedOneFreesItsPlace() throws Exception {
        Client admin = Api.admin();
        Client owner = Api.user(admin, "student");
        String demo = owner.req().get("/api/v1/templates").then().extract().path("items.find { it.name == 'demo' }.id");
        String labId = owner.req().body(Map.of("templateId", demo)).post("/api/v1/labs").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(90)).until(() ->
                "Running".equals(owner.req().get("/api/v1/labs/" + labId).then().extract().path("state")));
        URI console = URI.create(base.toString().replace("http", "ws") + "api/v1/labs/" + labId + "/console");
        Map<String, String> cookie = Map.of("Cookie", "lab_session=" + owner.cookie());
        List<Object> results = Parallel.run(25, i -> () -> {
            try {
                return WsClient.connect(console, cookie, true);
            } catch (WsClient.Refused r) {
                return r.status;
            }
        });
        List<WsClient> open = results.stream().filter(WsClient.class::isInstance).map(WsClient.class::cast).toList();
        assertEquals(20, open.size());
        assertEquals(5, results.stream().filter(r -> Integer.valueOf(429).equals(r)).count(), results.toString());
        open.get(0).close();
        List<WsClient> again = new ArrayList<>();
        await().atMost(WAIT).ignoreException(WsClient.Refused.class).until(() -> again.add(WsClient.connect(console, cookie, true)));
        assertEquals(429, org.junit.jupiter.api.Assertions.assertThrows(WsClient.Refused.class,
                () -> WsClient.connect(console, cookie, true)).status);
        open.forEach(WsClient::close);
        again.forEach(WsClient::close);
        admin.req().delete("/api/v1/labs/" + labId).then().statusCode(202);
    }
}
