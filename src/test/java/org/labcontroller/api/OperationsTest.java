package org.labcontroller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Health, metrics and the OpenAPI document, as an operator and an API user find them. */
@QuarkusTest
class OperationsTest {

    @Test
    void readinessReportsTheDatabaseAndTheRuntime() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks[0].data.database", equalTo("sqlite up")).body("checks[0].data.runtime", equalTo("qemu up"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metricsCountLabsByStateAndTimeRuntimeOperations() {
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("lab_labs{state=\"Running\"}"))
                .body(containsString("lab_reconcile_pass_seconds_count"));
    }

    @Test
    void everyApiPathIsDocumentedInTheOpenApi() {
        var paths = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        for (String path : List.of("/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/me", "/api/v1/me/password",
                "/api/v1/me/tokens", "/api/v1/me/tokens/{id}", "/api/v1/users", "/api/v1/users/{id}", "/api/v1/templates",
                "/api/v1/templates/{id}", "/api/v1/labs", "/api/v1/labs/{id}", "/api/v1/labs/{id}/start",
                "/api/v1/labs/{id}/stop", "/api/v1/labs/{id}/restart")) {
            given().accept("application/json").get("/q/openapi").then().body("paths", hasKey(path));
        }
        paths.getMap("paths");
    }
}
