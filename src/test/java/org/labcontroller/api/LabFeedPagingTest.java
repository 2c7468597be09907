package org.labcontroller.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labcontroller.lab.Desired;
import org.labcontroller.lab.LabState;
import org.labcontroller.api.Api.Client;
import org.labcontroller.storage.Database;
import org.labcontroller.storage.Ids;
import org.labcontroller.storage.Sql;

/**
 * More labs than one page (500): the feed sends the first page with a {@code nextCursor} the
 * list endpoint continues from, and a change to a lab beyond the first page still sends an event,
 * so a client that fetches the following pages on each event (the UI's All labs) lists every lab.
 */
@QuarkusTest
@TestProfile(LabFeedPagingTest.OwnController.class)
class LabFeedPagingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A controller of its own, so the admin's view holds only this test's labs. */
    public static class OwnController implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lab.labs.max-per-user", "5");
        }
    }

    @Inject
    Database db;

    @Test
    void theFeedSendsTheFirstPageWithACursorAndFollowsChangesBeyondIt() throws Exception {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        String template = Api.createTemplate(admin, Api.demoTemplate(Api.unique("paging")));
        List<String> ids = new ArrayList<>();
        long now = System.currentTimeMillis();
        db.inTransaction(c -> {
            for (int i = 0; i < 501; i++) {
                String id = Ids.newId();
                ids.add(id);
                Sql.update(c, "INSERT INTO labs (id, owner_id, template_id, desired, desired_version, restart_generation,"
                        + " restart_observed, state, state_changed_at, created_at, expires_at) VALUES (?, ?, ?, ?, 1, 0, 0, ?, ?, ?, ?)",
                        id, student.id(), template, Desired.STOPPED, LabState.STOPPED, now, now, now + 3_600_000);
            }
            return null;
        });
        String beyond = ids.stream().sorted().reduce((a, b) -> b).orElseThrow();
        try (FeedClient feed = FeedClient.withCookie(admin.cookie())) {
            await().atMost(WAIT).until(() -> feed.text().contains("data:"));
            JsonPath first = JsonPath.from(feed.lastData().substring("data:".length()));
            assertEquals(500, first.getList("items").size());
            String cursor = first.getString("nextCursor");
            assertNotNull(cursor);
            List<String> rest = admin.req().queryParam("limit", 500).queryParam("cursor", cursor).get("/api/v1/labs").then()
                    .statusCode(200).extract().path("items.id");
            assertEquals(List.of(beyond), rest);
            int events = count(feed.text());
            admin.req().delete("/api/v1/labs/" + beyond).then().statusCode(202);
            await().atMost(WAIT).until(() -> count(feed.text()) > events);
        }
    }

    private static int count(String text) {
        return text.split("\ndata:", -1).length;
    }
}
