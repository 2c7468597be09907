package org.labcontroller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api.Client;
import org.labcontroller.app.TestClock;

/**
 * Sessions and API tokens end when they should: on their lifetime (moved by the test clock), on
 * an admin's role change or password reset, and when an admin revokes a token. Account changes
 * and failed logins leave an audit trail that never holds a password.
 */
@QuarkusTest
class AccountCredentialsTest {
    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static String token(Client c, Map<String, Object> body) {
        return c.req().body(body).post("/api/v1/me/tokens").then().statusCode(201).extract().path("token");
    }

    private static int meWithBearer(String token) {
        return given().header("Authorization", "Bearer " + token).get("/api/v1/me").then().extract().statusCode();
    }

    @Test
    void aSessionEndsWhenTheClockPassesItsLifetime() {
        Client student = Api.user(Api.admin(), "student");
        clock.advance(Duration.ofHours(11));
        student.req().get("/api/v1/me").then().statusCode(200);
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        student.req().get("/api/v1/me").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aTokenEndsWhenTheClockPassesItsLifetime() {
        Client student = Api.user(Api.admin(), "student");
        String token = token(student, Map.of("name", "short", "expiresInDays", 2));
        clock.advance(Duration.ofDays(2).minusMinutes(1));
        assertEquals(200, meWithBearer(token));
        clock.advance(Duration.ofMinutes(2));
        assertEquals(401, meWithBearer(token));
    }

    @Test
    void aTokenCreatedWithoutALifetimeEndsAfterTheDefaultNinetyDays() {
        Client student = Api.user(Api.admin(), "student");
        Instant before = Instant.ofEpochMilli(clock.millis());
        var created = student.req().body(Map.of("name", "default")).post("/api/v1/me/tokens").then().statusCode(201).extract();
        Instant expiresAt = Instant.parse(created.path("expiresAt"));
        assertFalse(expiresAt.isBefore(before.plus(Duration.ofDays(90))), "expires after 90 days");
        assertFalse(expiresAt.isAfter(Instant.ofEpochMilli(clock.millis()).plus(Duration.ofDays(90))), "not later");
        String token = created.path("token");
        clock.advance(Duration.ofDays(89));
        assertEquals(200, meWithBearer(token));
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        assertEquals(401, meWithBearer(token));
    }

    @Test
    void anAdminListsAndRevokesAUsersTokensAndForeignOrMissingOnesAnswerNotFound() {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        Client other = Api.user(admin, "student");
        String token = token(student, Map.of("name", "ci"));
        String tokenId = student.req().get("/api/v1/me/tokens").then().extract().path("items[0].id");
        admin.req().get("/api/v1/users/" + student.id() + "/tokens").then().statusCode(200)
                .body("items.id", hasItem(tokenId)).body("items[0].name", equalTo("ci")).body("items[0].token", nullValue());
        student.req().get("/api/v1/users/" + student.id() + "/tokens").then().statusCode(403);
        student.req().delete("/api/v1/users/" + student.id() + "/tokens/" + tokenId).then().statusCode(403);
        admin.req().get("/api/v1/users/no-such-user/tokens").then().statusCode(404).contentType("application/problem+json");
        admin.req().delete("/api/v1/users/" + other.id() + "/tokens/" + tokenId).then().statusCode(404)
                .contentType("application/problem+json");
        admin.req().delete("/api/v1/users/" + student.id() + "/tokens/no-such-token").then().statusCode(404);
        assertEquals(200, meWithBearer(token));
        admin.req().delete("/api/v1/users/" + student.id() + "/tokens/" + tokenId).then().statusCode(204);
        assertEquals(401, meWithBearer(token));
        admin.req().get("/api/v1/users/" + student.id() + "/tokens").then().body("items.id", not(hasItem(tokenId)));
    }

    @Test
    void aRoleChangeEndsTheUsersSessionsAndRevokesTheirTokens() {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        String token = token(student, Map.of("name", "ci"));
        admin.req().body(Map.of("role", "instructor")).patch("/api/v1/users/" + student.id()).then().statusCode(200);
        student.req().get("/api/v1/me").then().statusCode(401);
        assertEquals(401, meWithBearer(token));
        assertEquals("instructor", Api.login(student.username(), Api.PASSWORD).req().get("/api/v1/me").then().extract().path("role"));
    }

    @Test
    void aPasswordResetByAnAdminEndsTheUsersSessionsAndRevokesTheirTokens() {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        String token = token(student, Map.of("name", "ci"));
        admin.req().body(Map.of("password", "reset-by-admin")).patch("/api/v1/users/" + student.id()).then().statusCode(200);
        student.req().get("/api/v1/me").then().statusCode(401);
        assertEquals(401, meWithBearer(token));
        Api.login(student.username(), "reset-by-admin");
    }

    @Test
    void accountChangesAndFailedLoginsAreAuditedWithoutPasswords() {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        String tokenId = admin.req().body(Map.of("name", "audited")).post("/api/v1/me/tokens").then().extract().path("id");
        admin.req().delete("/api/v1/me/tokens/" + tokenId).then().statusCode(204);
        admin.req().body(Map.of("role", "instructor", "password", "secret-reset-pw")).patch("/api/v1/users/" + student.id())
                .then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("username", student.username(), "password", "secret-guess-pw"))
                .post("/api/v1/auth/login").then().statusCode(401);
        admin.req().delete("/api/v1/users/" + student.id()).then().statusCode(204);

        var page = admin.req().get("/api/v1/audit?limit=100").then().statusCode(200).extract();
        List<Map<String, Object>> items = page.path("items");
        List<Map<String, Object>> mine = items.stream()
                .filter(e -> String.valueOf(e.get("detail")).contains(student.id()) || student.username().equals(e.get("actor"))
                        || String.valueOf(e.get("detail")).contains(tokenId))
                .toList();
        List<Object> actions = mine.stream().map(e -> e.get("action")).toList();
        for (String action : List.of("user-create", "token-create", "token-revoke", "role-change", "password-reset",
                "login-failure", "user-delete")) {
            assertEquals(true, actions.contains(action), action + " in " + actions);
        }
        mine.stream().filter(e -> "login-failure".equals(e.get("action")))
                .forEach(e -> assertEquals(student.username(), e.get("actor")));
        String all = page.body().asString();
        assertFalse(all.contains("secret-reset-pw") || all.contains("secret-guess-pw") || all.contains(Api.PASSWORD),
                "no password in the audit trail");
        admin.req().get("/api/v1/audit").then().body("items.detail", not(hasItem(containsString("lct_"))));
    }
}
