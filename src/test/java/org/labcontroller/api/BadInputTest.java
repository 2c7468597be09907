package org.labcontroller.api;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api.Client;

/** Bad input answers a 4xx RFC 9457 problem that names what is wrong, and stores nothing. */
@QuarkusTest
class BadInputTest {
    Client admin;
    Client instructor;

    @BeforeEach
    void setUp() {
        admin = Api.admin();
        instructor = Api.user(admin, "instructor");
    }

    private static ValidatableResponse problem(ValidatableResponse r, int status, String detailPart) {
        return r.statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status)).body("type", containsString("/problems/"))
                .body("detail", containsString(detailPart));
    }

    private ValidatableResponse postTemplate(Object body) {
        return instructor.req().body(body).post("/api/v1/templates").then();
    }

    private void templateNotStored(String name) {
        admin.req().get("/api/v1/templates?limit=500").then().body("items.name", not(hasItem(name)));
    }

    @Test
    void malformedJsonIsRejected() {
        problem(instructor.req().body("{\"name\": ").post("/api/v1/templates").then(), 400, "Malformed JSON");
        problem(admin.req().body("[1,2").post("/api/v1/users").then(), 400, "Malformed JSON");
    }

    @Test
    void unknownFieldsAreNamed() {
        Map<String, Object> body = new HashMap<>(Api.demoTemplate(Api.unique("unknown")));
        body.put("colour", "blue");
        problem(postTemplate(body), 400, "colour").body("field", equalTo("colour"));
        templateNotStored((String) body.get("name"));
    }

    @Test
    void missingFieldsAreNamed() {
        Map<String, Object> body = new HashMap<>(Api.demoTemplate(Api.unique("missing")));
        body.remove("cpus");
        problem(postTemplate(body), 400, "cpus").body("field", equalTo("cpus"));
        problem(admin.req().body(Map.of("username", "someone", "role", "student")).post("/api/v1/users").then(), 400, "password");
        problem(instructor.req().body("{}").post("/api/v1/labs").then(), 400, "templateId");
        problem(instructor.req().post("/api/v1/labs").then(), 400, "body");
        templateNotStored((String) body.get("name"));
    }

    @Test
    void oversizedValuesAreNamed() {
        Map<String, Object> body = new HashMap<>(Api.demoTemplate(Api.unique("big")));
        body.put("description", "x".repeat(2001));
        problem(postTemplate(body), 400, "description").body("field", equalTo("description"));
        body.put("description", "ok");
        body.put("memoryMb", 10_000_000);
        problem(postTemplate(body), 400, "memoryMb");
        problem(admin.req().body(Map.of("username", "u".repeat(65), "password", Api.PASSWORD, "role", "student"))
                .post("/api/v1/users").then(), 400, "username");
        problem(admin.req().body(Map.of("username", "longpw", "password", "p".repeat(100), "role", "student"))
                .post("/api/v1/users").then(), 400, "72 bytes");
        String huge = "{\"name\":\"" + "x".repeat(2_000_000) + "\"}";
        org.junit.jupiter.api.Assertions.assertEquals(413, instructor.postOversized("/api/v1/templates", "application/json",
                huge.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        templateNotStored((String) body.get("name"));
    }

    @Test
    void wrongTypesAreNamed() {
        Map<String, Object> body = new HashMap<>(Api.demoTemplate(Api.unique("types")));
        body.put("cpus", "two");
        problem(postTemplate(body), 400, "cpus").body("field", equalTo("cpus"));
        body.put("cpus", 1);
        body.put("image", "demo");
        problem(postTemplate(body), 400, "image");
        problem(admin.req().body(Map.of("username", "roleless", "password", Api.PASSWORD, "role", "superuser"))
                .post("/api/v1/users").then(), 400, "role");
        templateNotStored((String) body.get("name"));
    }

    @Test
    void unknownIdsAnswerNotFound() {
        problem(instructor.req().get("/api/v1/labs/no-such-lab").then(), 404, "no-such-lab");
        problem(instructor.req().get("/api/v1/templates/no-such-template").then(), 404, "no-such-template");
        problem(admin.req().get("/api/v1/users/no-such-user").then(), 404, "no-such-user");
        problem(instructor.req().post("/api/v1/labs/no-such-lab/start").then(), 404, "no-such-lab");
        problem(instructor.req().body(Map.of("templateId", "no-such-template")).post("/api/v1/labs").then(), 400, "templateId");
        problem(instructor.req().get("/api/v1/nowhere").then(), 404, "/api/v1/nowhere");
        problem(instructor.req().put("/api/v1/labs").then(), 405, "");
    }

    @Test
    void templateWithAMissingImageIsRejected() {
        Map<String, Object> body = new HashMap<>(Api.demoTemplate(Api.unique("noimage")));
        body.put("image", Map.of("kernel", "demo/no-such-kernel"));
        problem(postTemplate(body), 400, "image.kernel").body("field", equalTo("image.kernel"));
        body.put("image", Map.of("kernel", "../../../etc/passwd"));
        problem(postTemplate(body), 400, "image.kernel");
        body.put("image", Map.of());
        problem(postTemplate(body), 400, "image");
        templateNotStored((String) body.get("name"));
    }

    @Test
    void badPaginationIsNamed() {
        problem(instructor.req().get("/api/v1/labs?limit=0").then(), 400, "limit").body("field", equalTo("limit"));
        problem(instructor.req().get("/api/v1/labs?limit=abc").then(), 404, "");
        problem(instructor.req().get("/api/v1/templates?cursor=garbage").then(), 400, "cursor");
    }

    @Test
    void duplicateNamesConflict() {
        String name = Api.unique("dup");
        Api.createTemplate(instructor, Api.demoTemplate(name));
        problem(postTemplate(Api.demoTemplate(name)), 409, name).body("field", equalTo("name"));
    }
}
