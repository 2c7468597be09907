package org.labcontroller.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api;
import org.labcontroller.api.Api.Client;
import org.labcontroller.api.Parallel;

/**
 * Password guessing is counted as it starts, costs the same for unknown usernames, and an
 * over-long password is a named 400, never a 500. Runs with a real bcrypt cost so that checks
 * take long enough for parallel guesses to overlap, as they do in production; every assertion
 * counts answers, none measures time.
 */
@QuarkusTest
@TestProfile(PasswordGuessingTest.RealBcryptCost.class)
class PasswordGuessingTest {
    static final String OVERLONG = "é".repeat(40); // 40 characters, 80 bytes

    /** A bcrypt cost like production's, and a fresh application (its own throttle and database). */
    public static class RealBcryptCost implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lab.auth.bcrypt-cost", "10");
        }
    }

    @Inject
    Secrets secrets;
    @Inject
    AuthConfig config;

    private static ExtractableResponse<Response> login(String username, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .post("/api/v1/auth/login").then().extract();
    }

    @Test
    void fortyParallelWrongGuessesGetFiveChecksAndThirtyFiveTooManyRequests() throws Exception {
        Client student = Api.user(Api.admin(), "student");
        int guesses = 40;
        List<HttpResponse<String>> answers = Parallel.run(guesses, i -> () -> Parallel.send(null, "POST", "/api/v1/auth/login",
                "{\"username\":\"" + student.username() + "\",\"password\":\"wrong-guess-" + i + "\"}"));
        int refused = 0;
        int throttled = 0;
        for (var r : answers) {
            if (r.statusCode() == 401) {
                refused++;
            } else {
                assertEquals(429, r.statusCode(), r.body());
                assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
                assertTrue(r.body().contains("/problems/too-many-requests"), r.body());
                assertTrue(Long.parseLong(r.headers().firstValue("Retry-After").orElse("0")) > 0);
                throttled++;
            }
        }
        assertEquals(config.loginMaxFailures(), refused, "checks that ran");
        assertEquals(guesses - config.loginMaxFailures(), throttled, "guesses refused before any check");
        assertEquals(429, login(student.username(), Api.PASSWORD).statusCode(), "the right password waits too");
    }

    @Test
    void anUnknownUsernameCostsAFullBcryptCheckAtTheConfiguredCost() {
        assertEquals(10, config.bcryptCost());
        assertEquals(config.bcryptCost(), secrets.noSuchAccountCost());
    }

    @Test
    void anOverlongLoginPasswordIsANamedBadRequestThatCountsAsAFailure() {
        Client student = Api.user(Api.admin(), "student");
        for (int i = 0; i < config.loginMaxFailures(); i++) {
            given().contentType(ContentType.JSON).body(Map.of("username", student.username(), "password", OVERLONG))
                    .post("/api/v1/auth/login").then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("password")).body("detail", containsString("72 bytes"));
        }
        given().contentType(ContentType.JSON).body(Map.of("username", student.username(), "password", Api.PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(429).header("Retry-After", notNullValue());
    }

    @Test
    void overlongPasswordsAreNamedBadRequestsWhenChangedOrSetByAnAdmin() {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        student.req().body(Map.of("currentPassword", OVERLONG, "newPassword", "a-new-password"))
                .put("/api/v1/me/password").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("currentPassword"));
        student.req().body(Map.of("currentPassword", Api.PASSWORD, "newPassword", OVERLONG))
                .put("/api/v1/me/password").then().statusCode(400).body("field", equalTo("newPassword"));
        admin.req().body(Map.of("password", OVERLONG)).patch("/api/v1/users/" + student.id())
                .then().statusCode(400).body("field", equalTo("password")).body("detail", containsString("72 bytes"));
        admin.req().body(Map.of("username", Api.unique("long"), "password", OVERLONG, "role", "student"))
                .post("/api/v1/users").then().statusCode(400).body("field", equalTo("password"));
    }

    @Test
    void wrongCurrentPasswordsAreThrottledLikeLogins() {
        Client student = Api.user(Api.admin(), "student");
        for (int i = 0; i < config.loginMaxFailures(); i++) {
            student.req().body(Map.of("currentPassword", "not-my-password-" + i, "newPassword", "a-new-password"))
                    .put("/api/v1/me/password").then().statusCode(400).body("field", equalTo("currentPassword"));
        }
        student.req().body(Map.of("currentPassword", Api.PASSWORD, "newPassword", "a-new-password"))
                .put("/api/v1/me/password").then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue());
        assertEquals(429, login(student.username(), Api.PASSWORD).statusCode(), "the same account's logins wait too");
    }

    @Test
    void aRightPasswordDoesNotCountAgainstTheAccount() {
        Client student = Api.user(Api.admin(), "student");
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < config.loginMaxFailures() - 1; i++) {
                assertEquals(401, login(student.username(), "wrong-" + i).statusCode());
            }
            assertEquals(204, login(student.username(), Api.PASSWORD).statusCode());
        }
    }
}
