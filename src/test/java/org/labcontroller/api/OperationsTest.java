package org.labcontroller.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Health, metrics and the OpenAPI document, as an operator and an API user find them: health and
 * metrics (which count login outcomes) on the management port only, the OpenAPI document on the
 * public one.
 */
@QuarkusTest
class OperationsTest {
    @TestHTTPResource(value = "/", management = true)
    URL management;

    private String managementUrl(String path) {
        return Api.onManagementPort(management, path);
    }

    @Test
    void readinessReportsTheDatabaseAndTheRuntimeOnTheManagementPort() {
        given().get(managementUrl("/q/health/ready")).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks[0].data.database", equalTo("sqlite up")).body("checks[0].data.runtime", equalTo("qemu up"));
        given().get(managementUrl("/q/health/live")).then().statusCode(200);
    }

    @Test
    void metricsCountLabsByStateAndTimeRuntimeOperationsOnTheManagementPort() {
        given().get(managementUrl("/q/metrics")).then().statusCode(200)
                .body(containsString("lab_labs{state=\"Running\"}"))
                .body(containsString("lab_reconcile_pass_seconds_count"));
    }

    @Test
    void thePublicPortAnswersNotFoundForHealthAndMetrics() {
        for (String path : List.of("/q/metrics", "/q/health", "/q/health/ready", "/q/health/live")) {
            given().get(path).then().statusCode(404);
        }
    }

    @Test
    void everyApiPathIsDocumentedInTheOpenApiOnThePublicPort() {
        var paths = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        for (String path : List.of("/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/me", "/api/v1/me/password",
                "/api/v1/me/tokens", "/api/v1/me/tokens/{id}", "/api/v1/users", "/api/v1/users/{id}", "/api/v1/templates",
                "/api/v1/templates/{id}", "/api/v1/labs", "/api/v1/labs/{id}", "/api/v1/labs/{id}/start",
                "/api/v1/labs/{id}/stop", "/api/v1/labs/{id}/restart")) {
            given().accept("application/json").get("/q/openapi").then().body("paths", hasKey(path));
        }
        paths.getMap("paths");
        assertTrue(paths.getMap("paths.'/api/v1/labs/{id}/screenshot'.get.responses.'200'.content").containsKey("image/png"),
                "the thumbnail endpoint documents its PNG");
    }
}
