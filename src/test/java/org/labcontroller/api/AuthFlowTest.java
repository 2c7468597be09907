package org.labcontroller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api.Client;

@QuarkusTest
class AuthFlowTest {

    @Test
    void loginSetsAnHttpOnlyStrictCookieAndLogoutEndsTheSession() {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        given().contentType(ContentType.JSON).body(Map.of("username", student.username(), "password", Api.PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(204)
                .header("Set-Cookie", containsString("HttpOnly")).header("Set-Cookie", containsString("SameSite=Strict"));
        student.req().get("/api/v1/me").then().statusCode(200).body("role", equalTo("student"))
                .body("username", equalTo(student.username()));
        student.req().post("/api/v1/auth/logout").then().statusCode(204);
        student.req().get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void wrongPasswordIsRefusedAndRepeatedFailuresAreThrottled() {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        for (int i = 0; i < 5; i++) {
            given().contentType(ContentType.JSON).body(Map.of("username", student.username(), "password", "wrong-password"))
                    .post("/api/v1/auth/login").then().statusCode(401).contentType("application/problem+json");
        }
        given().contentType(ContentType.JSON).body(Map.of("username", student.username(), "password", Api.PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(429).body("detail", containsString("try again"))
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void passwordChangeNeedsTheCurrentPasswordAndEndsOtherSessions() {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        Client second = Api.login(student.username(), Api.PASSWORD);
        student.req().body(Map.of("currentPassword", "not-it-at-all", "newPassword", "a-new-password"))
                .put("/api/v1/me/password").then().statusCode(400).body("field", equalTo("currentPassword"));
        student.req().body(Map.of("currentPassword", Api.PASSWORD, "newPassword", "a-new-password"))
                .put("/api/v1/me/password").then().statusCode(204);
        student.req().get("/api/v1/me").then().statusCode(200);
        second.req().get("/api/v1/me").then().statusCode(401);
        Api.login(student.username(), "a-new-password");
    }

    @Test
    void crossOriginWritesWithACookieAreRefused() {
        Client admin = Api.admin();
        admin.req().header("Origin", "https://evil.example").body(Map.of("username", "x-origin", "password", Api.PASSWORD,
                "role", "student")).post("/api/v1/users").then().statusCode(403);
    }
}
