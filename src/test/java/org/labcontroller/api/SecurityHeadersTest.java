package org.labcontroller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api.Client;

/** Every answer carries the security headers; API answers are not cached; problems name no Java class. */
@QuarkusTest
class SecurityHeadersTest {

    private static ValidatableResponse secured(ValidatableResponse r) {
        return r.header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .header("Content-Security-Policy", containsString("connect-src 'self' ws: wss:"));
    }

    @Test
    void apiAnswersOfEveryKindCarryTheSecurityHeadersAndAreNotCached() {
        Client admin = Api.admin();
        secured(admin.req().get("/api/v1/me").then().statusCode(200)).header("Cache-Control", "no-store");
        secured(Api.anonymous().req().get("/api/v1/me").then().statusCode(401)).header("Cache-Control", "no-store");
        secured(admin.req().get("/api/v1/nowhere").then().statusCode(404)).header("Cache-Control", "no-store");
        secured(given().contentType(ContentType.JSON).body(Map.of("username", "admin", "password", Api.ADMIN_PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(204)).header("Cache-Control", "no-store");
    }

    @Test
    void nonApiAnswersCarryTheSecurityHeadersToo() {
        secured(given().accept("application/json").get("/q/openapi").then().statusCode(200));
        secured(given().get("/labs/some-page").then()).header("Cache-Control", not("no-store"));
    }

    @Test
    void problemBodiesNameNoJavaClass() {
        Client admin = Api.admin();
        admin.req().body("{\"name\": \"t\", \"expiresInDays\": \"soon\"}").post("/api/v1/me/tokens").then().statusCode(400)
                .body("field", equalTo("expiresInDays")).body("detail", containsString("not a number"))
                .body("detail", not(containsString("Integer"))).body("detail", not(containsString("java.")));
        admin.req().body("{\"name\": [1]}").post("/api/v1/me/tokens").then().statusCode(400)
                .body("detail", not(containsString("String"))).body("detail", not(containsString("java.")));
        admin.req().body("{\"currentPassword\": {}, \"newPassword\": \"x\"}").put("/api/v1/me/password").then().statusCode(400)
                .body("detail", not(containsString("java."))).body("detail", not(containsString("labcontroller")));
        admin.req().body("{\"name\": ").post("/api/v1/me/tokens").then().statusCode(400)
                .body("detail", not(containsString("Source"))).body("detail", not(containsString("Feature")))
                .body("instance", equalTo("/api/v1/me/tokens")).body("trace", nullValue());
    }
}
