package org.labcontroller.api;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api.Client;

/**
 * A template's warm pool size (issue 14): 0 unless given, between 0 and 50 or a problem naming the
 * field, kept across a replace, and never shown to students.
 */
@QuarkusTest
class TemplateWarmPoolTest {

    @Test
    void aTemplateWithoutAWarmPoolKeepsNone() {
        Client instructor = Api.user(Api.admin(), "instructor");
        String id = Api.createTemplate(instructor, Api.demoTemplate(Api.unique("warm-default")));
        instructor.req().get("/api/v1/templates/" + id).then().statusCode(200).body("warmPool", equalTo(0));
    }

    @Test
    void aSizeOutOfRangeIsAProblemNamingTheField() {
        Client instructor = Api.user(Api.admin(), "instructor");
        for (int size : new int[] {-1, 51}) {
            Map<String, Object> body = new HashMap<>(Api.demoTemplate(Api.unique("warm-bad")));
            body.put("warmPool", size);
            instructor.req().body(body).post("/api/v1/templates").then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo("warmPool"))
                    .body("detail", containsString("between 0 and 50"));
        }
    }

    @Test
    void theSizeIsKeptAcrossAReplaceAndStudentsDoNotSeeIt() {
        Client admin = Api.admin();
        Client instructor = Api.user(admin, "instructor");
        Map<String, Object> body = new HashMap<>(Api.demoTemplate(Api.unique("warm-kept")));
        body.put("warmPool", 3);
        String id = Api.createTemplate(instructor, body);
        instructor.req().get("/api/v1/templates/" + id).then().statusCode(200).body("warmPool", equalTo(3));
        body.put("warmPool", 50);
        instructor.req().body(body).put("/api/v1/templates/" + id).then().statusCode(200).body("warmPool", equalTo(50));
        Api.user(admin, "student").req().get("/api/v1/templates/" + id).then().statusCode(200)
                .body("$", not(hasKey("warmPool")));
    }

    @Test
    void theOpenApiDocumentDescribesTheField() {
        io.restassured.RestAssured.given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("components.schemas.TemplateRequest.properties.warmPool.maximum", equalTo(50));
    }
}
