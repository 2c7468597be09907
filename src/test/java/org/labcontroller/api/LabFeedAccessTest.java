package org.labcontroller.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api.Client;

/**
 * The live feed re-authorizes its caller while it is open: a logout, a revoked token or a
 * demotion ends it with a final {@code ended} event saying why, instead of streaming on.
 */
@QuarkusTest
class LabFeedAccessTest {
    private static final Duration END = Duration.ofSeconds(15);

    @Test
    void loggingOutEndsTheFeed() throws Exception {
        Client student = Api.user(Api.admin(), "student");
        try (FeedClient feed = FeedClient.withCookie(student.cookie())) {
            await().atMost(END).until(() -> feed.text().contains("data:"));
            student.req().post("/api/v1/auth/logout").then().statusCode(204);
            assertTrue(feed.awaitEnd(END), "the feed still streams after logout: " + feed.text());
            assertTrue(feed.text().contains("event:ended"), feed.text());
            assertTrue(feed.text().contains("access-revoked"), feed.text());
        }
    }

    @Test
    void revokingTheTokenEndsTheFeed() throws Exception {
        Client student = Api.user(Api.admin(), "student");
        var created = student.req().body(Map.of("name", "feed")).post("/api/v1/me/tokens").then().statusCode(201).extract();
        try (FeedClient feed = FeedClient.withToken(created.path("token"))) {
            await().atMost(END).until(() -> feed.text().contains("data:"));
            student.req().delete("/api/v1/me/tokens/" + created.path("id")).then().statusCode(204);
            assertTrue(feed.awaitEnd(END), "the feed still streams after its token was revoked: " + feed.text());
            assertTrue(feed.text().contains("access-revoked"), feed.text());
        }
    }

    @Test
    void aDemotedAdminStopsReceivingOtherUsersLabs() throws Exception {
        Client admin = Api.admin();
        Client second = Api.user(admin, "admin");
        Client student = Api.user(admin, "student");
        String template = Api.createTemplate(admin, Api.demoTemplate(Api.unique("feed")));
        try (FeedClient feed = FeedClient.withCookie(second.cookie())) {
            await().atMost(END).until(() -> feed.text().contains("data:"));
            String before = student.req().body(Map.of("templateId", template)).post("/api/v1/labs").then().statusCode(201)
                    .extract().path("id");
            await().atMost(END).until(() -> feed.text().contains(before));
            admin.req().body(Map.of("role", "student")).patch("/api/v1/users/" + second.id()).then().statusCode(200);
            String after = student.req().body(Map.of("templateId", template)).post("/api/v1/labs").then().statusCode(201)
                    .extract().path("id");
            assertTrue(feed.awaitEnd(END), "the demoted admin's feed still streams: " + feed.text());
            assertFalse(feed.text().contains(after), "the demoted admin received another user's new lab");
            student.req().delete("/api/v1/labs/" + before).then().statusCode(202);
            student.req().delete("/api/v1/labs/" + after).then().statusCode(202);
        }
    }
}
