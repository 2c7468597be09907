package org.labcontroller.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labcontroller.lab.LabFeeds;
import org.labcontroller.api.Api.Client;

/**
 * The live feed is driven by change notifications, not by a clock: with the recheck interval set
 * to an hour nothing periodic runs, yet a change made through the API reaches an open feed, and a
 * feed whose labs do not change reads nothing after its first page.
 */
@QuarkusTest
@TestProfile(LabFeedChangesTest.NoTicks.class)
class LabFeedChangesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Nothing re-checks or re-reads on a timer within a test's lifetime. */
    public static class NoTicks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lab.streams.recheck-interval", "1h");
        }
    }

    @Inject
    LabFeeds feeds;

    @Test
    void aChangeMadeThroughTheApiReachesAnOpenFeedWithoutATick() throws Exception {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        String template = Api.createTemplate(admin, Api.demoTemplate(Api.unique("changes")));
        try (FeedClient feed = FeedClient.withCookie(student.cookie())) {
            await().atMost(WAIT).until(() -> feed.text().contains("data:"));
            String id = student.req().body(Map.of("templateId", template)).post("/api/v1/labs").then().statusCode(201)
                    .extract().path("id");
            await().atMost(WAIT).until(() -> feed.lastData().contains(id));
            student.req().post("/api/v1/labs/" + id + "/stop").then().statusCode(202);
            await().atMost(WAIT).until(() -> feed.lastData().contains("\"desiredState\":\"Stopped\""));
            student.req().delete("/api/v1/labs/" + id).then().statusCode(202);
            await().atMost(WAIT).until(() -> !feed.lastData().contains(id));
        }
    }

    @Test
    void aCourseLabAStudentStartsReachesTheCourseInstructorsOpenFeedWithoutATick() throws Exception {
        Client admin = Api.admin();
        Client instructor = Api.user(admin, "instructor");
        Client student = Api.user(admin, "student");
        String template = Api.createTemplate(admin, Api.demoTemplate(Api.unique("course-feed")));
        String course = Courses.create(instructor, Courses.body(java.util.List.of(template), null));
        Courses.enrol(instructor, course, student, "student");
        try (FeedClient feed = FeedClient.withCookie(instructor.cookie())) {
            await().atMost(WAIT).until(() -> feed.text().contains("data:"));
            String id = Courses.startLab(student, course, template);
            await().atMost(WAIT).until(() -> feed.lastData().contains(id));
            student.req().delete("/api/v1/labs/" + id).then().statusCode(202);
        }
    }

    @Test
    void revokingTheTokenEndsTheFeedAtOnceWithoutATick() throws Exception {
        Client student = Api.user(Api.admin(), "student");
        var created = student.req().body(Map.of("name", "feed")).post("/api/v1/me/tokens").then().statusCode(201).extract();
        try (FeedClient feed = FeedClient.withToken(created.path("token"))) {
            await().atMost(WAIT).until(() -> feed.text().contains("data:"));
            student.req().delete("/api/v1/me/tokens/" + created.path("id")).then().statusCode(204);
            assertTrue(feed.awaitEnd(WAIT), "the feed still streams after its token was revoked: " + feed.text());
            assertTrue(feed.text().contains("access-revoked"), feed.text());
        }
    }

    @Test
    void aFeedWhoseLabsDoNotChangeMakesNoQueries() throws Exception {
        Client admin = Api.admin();
        Client quiet = Api.user(admin, "student");
        Client busy = Api.user(admin, "student");
        String template = Api.createTemplate(admin, Api.demoTemplate(Api.unique("quiet")));
        try (FeedClient quietFeed = FeedClient.withCookie(quiet.cookie()); FeedClient busyFeed = FeedClient.withCookie(busy.cookie())) {
            await().atMost(WAIT).until(() -> quietFeed.text().contains("data:") && busyFeed.text().contains("data:"));
            assertEquals(1, feeds.readsOf(quiet.id()), "the first page is the one read");
            String id = busy.req().body(Map.of("templateId", template)).post("/api/v1/labs").then().statusCode(201)
                    .extract().path("id");
            await().atMost(WAIT).until(() -> busyFeed.lastData().contains("\"state\":\"Running\""));
            busy.req().delete("/api/v1/labs/" + id).then().statusCode(202);
            await().atMost(WAIT).until(() -> !busyFeed.lastData().contains(id));
            assertEquals(1, feeds.readsOf(quiet.id()), "another user's lab changed, and the quiet feed read again");
            assertEquals(1, feeds.checksOf(quiet.id()), "the quiet feed re-checked without a change or a tick");
        }
    }
}
