package org.labcontroller.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labcontroller.lab.LabFeeds;
import org.labcontroller.api.Api.Client;

/**
 * On PostgreSQL the live feed follows {@code NOTIFY lab_changed}: a lab written by another replica
 * (here: the test, writing the row and notifying as a replica does) reaches an open feed, and
 * nothing polls meanwhile (the recheck interval is an hour).
 */
@QuarkusTest
@TestProfile(PgLabFeedTest.Postgres.class)
class PgLabFeedTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String URL = System.getProperty("lab.test.feed-postgres-url", "jdbc:postgresql://localhost:5432/lab_feed_test");

    /** Its own database (emptied first), so it never meets another test's rows. */
    public static class Postgres implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "lab.database.kind", "postgresql",
                    "lab.database.url", URL,
                    "lab.database.username", "lab",
                    "lab.database.password", "lab",
                    "lab.database.clean-at-start", "true",
                    "quarkus.flyway.pg.clean-disabled", "false",
                    "lab.streams.recheck-interval", "1h");
        }
    }

    @Inject
    LabFeeds feeds;

    @Test
    void aLabChangedByAnotherReplicaReachesAnOpenFeedThroughNotify() throws Exception {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        Client quiet = Api.user(admin, "student");
        String template = Api.createTemplate(admin, Api.demoTemplate(Api.unique("pg")));
        try (FeedClient feed = FeedClient.withCookie(student.cookie()); FeedClient quietFeed = FeedClient.withCookie(quiet.cookie())) {
            await().atMost(WAIT).until(() -> feed.text().contains("data:") && quietFeed.text().contains("data:"));
            String id = student.req().body(Map.of("templateId", template)).post("/api/v1/labs").then().statusCode(201)
                    .extract().path("id");
            await().atMost(WAIT).until(() -> feed.lastData().contains(id));
            try (Connection c = DriverManager.getConnection(URL, "lab", "lab")) {
                try (PreparedStatement s = c.prepareStatement("UPDATE labs SET expires_at = ? WHERE id = ?")) {
                    s.setLong(1, 4_102_444_800_000L);
                    s.setString(2, id);
                    assertEquals(1, s.executeUpdate());
                }
                try (PreparedStatement s = c.prepareStatement("SELECT pg_notify('lab_changed', ?)")) {
                    s.setString(1, id);
                    s.execute();
                }
            }
            await().atMost(WAIT).until(() -> feed.lastData().contains("\"expiresAt\":\"2100-01-01T00:00:00Z\""));
            student.req().delete("/api/v1/labs/" + id).then().statusCode(202);
            await().atMost(WAIT).until(() -> !feed.lastData().contains(id));
            assertEquals(1, feeds.readsOf(quiet.id()), "a feed none of whose labs changed read again");
        }
    }
}
