package org.labcontroller.api;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api.Client;

/**
 * Walks every lab, template, user and token endpoint as admin, instructor (the template's owner),
 * another instructor, the lab's owner, another student and anonymous, and checks each answer.
 */
@QuarkusTest
class AuthorizationTest {
    Client admin;
    Client instructor;
    Client otherInstructor;
    Client owner;
    Client otherStudent;
    Client anonymous = Api.anonymous();
    String templateId;
    String hiddenTemplateId;
    String labId;

    @BeforeEach
    void setUp() {
        admin = Api.admin();
        instructor = Api.user(admin, "instructor");
        otherInstructor = Api.user(admin, "instructor");
        owner = Api.user(admin, "student");
        otherStudent = Api.user(admin, "student");
        templateId = Api.createTemplate(instructor, Api.demoTemplate(Api.unique("authz")));
        Map<String, Object> hidden = new HashMap<>(Api.demoTemplate(Api.unique("hidden")));
        hidden.put("offered", false);
        hiddenTemplateId = Api.createTemplate(instructor, hidden);
        labId = owner.req().body(Map.of("templateId", templateId)).post("/api/v1/labs").then().statusCode(201)
                .extract().path("id");
    }

    @AfterEach
    void tearDown() {
        admin.req().delete("/api/v1/labs/" + labId);
    }

    private static void expect(Client c, String method, String path, Object body, int status) {
        var req = c.req();
        if (body != null) {
            req.body(body);
        }
        int actual = req.request(method, path).then().extract().statusCode();
        assertEquals(status, actual, c.username() + " " + method + " " + path);
    }

    @Test
    void userEndpointsAreForAdminsOnly() {
        String victim = Api.user(admin, "student").id();
        Map<String, Object> newUser = Map.of("username", Api.unique("u"), "password", Api.PASSWORD, "role", "student");
        for (Client c : List.of(instructor, owner)) {
            expect(c, "GET", "/api/v1/users", null, 403);
            expect(c, "POST", "/api/v1/users", newUser, 403);
            expect(c, "GET", "/api/v1/users/" + victim, null, 403);
            expect(c, "PATCH", "/api/v1/users/" + victim, Map.of("role", "admin"), 403);
            expect(c, "DELETE", "/api/v1/users/" + victim, null, 403);
        }
        expect(anonymous, "GET", "/api/v1/users", null, 401);
        expect(anonymous, "POST", "/api/v1/users", newUser, 401);
        expect(anonymous, "GET", "/api/v1/users/" + victim, null, 401);
        expect(admin, "GET", "/api/v1/users", null, 200);
        expect(admin, "POST", "/api/v1/users", newUser, 201);
        expect(admin, "GET", "/api/v1/users/" + victim, null, 200);
        expect(admin, "PATCH", "/api/v1/users/" + victim, Map.of("role", "instructor"), 200);
        expect(admin, "DELETE", "/api/v1/users/" + victim, null, 204);
        expect(admin, "GET", "/api/v1/users/" + victim, null, 404);
    }

    @Test
    void templatesAreVisibleWhenOfferedAndChangeableByTheirOwnerOrAnAdmin() {
        String t = "/api/v1/templates/" + templateId;
        String hidden = "/api/v1/templates/" + hiddenTemplateId;
        for (Client c : List.of(admin, instructor, otherInstructor, owner, otherStudent)) {
            expect(c, "GET", "/api/v1/templates", null, 200);
            expect(c, "GET", t, null, 200);
        }
        expect(anonymous, "GET", "/api/v1/templates", null, 401);
        expect(anonymous, "GET", t, null, 401);
        expect(admin, "GET", hidden, null, 200);
        expect(instructor, "GET", hidden, null, 200);
        expect(otherInstructor, "GET", hidden, null, 404);
        expect(owner, "GET", hidden, null, 404);
        owner.req().get("/api/v1/templates").then().body("items.id", not(hasItem(hiddenTemplateId)));
        instructor.req().get("/api/v1/templates").then().body("items.id", hasItem(hiddenTemplateId));

        expect(owner, "POST", "/api/v1/templates", Api.demoTemplate(Api.unique("s")), 403);
        expect(anonymous, "POST", "/api/v1/templates", Api.demoTemplate(Api.unique("a")), 401);
        expect(otherInstructor, "POST", "/api/v1/templates", Api.demoTemplate(Api.unique("i")), 201);

        Map<String, Object> replaced = Api.demoTemplate(Api.unique("replaced"));
        expect(otherInstructor, "PUT", t, replaced, 403);
        expect(owner, "PUT", t, replaced, 403);
        expect(anonymous, "PUT", t, replaced, 401);
        expect(otherStudent, "PUT", hidden, replaced, 404);
        expect(instructor, "PUT", t, replaced, 200);
        expect(admin, "PUT", t, Api.demoTemplate(Api.unique("again")), 200);

        expect(otherInstructor, "DELETE", t, null, 403);
        expect(owner, "DELETE", t, null, 403);
        expect(anonymous, "DELETE", t, null, 401);
        expect(instructor, "DELETE", t, null, 409);
        expect(otherInstructor, "DELETE", hidden, null, 404);
        expect(instructor, "DELETE", hidden, null, 204);
    }

    @Test
    void aLabIsSeenByItsOwnerTheTemplatesInstructorAndAdminsAndOperatedOnlyByOwnerAndAdmins() {
        String lab = "/api/v1/labs/" + labId;
        for (Client c : List.of(owner, instructor, admin)) {
            expect(c, "GET", lab, null, 200);
            c.req().get("/api/v1/labs").then().body("items.id", hasItem(labId));
        }
        for (Client c : List.of(otherStudent, otherInstructor)) {
            expect(c, "GET", lab, null, 404);
            c.req().get("/api/v1/labs").then().body("items.id", not(hasItem(labId)));
            for (String action : List.of("start", "stop", "restart")) {
                expect(c, "POST", lab + "/" + action, null, 404);
            }
            expect(c, "DELETE", lab, null, 404);
        }
        String missing = c404(otherStudent, "/api/v1/labs/00000000-0000-7000-8000-000000000000");
        String foreign = c404(otherStudent, lab);
        assertEquals(missing.replace("00000000-0000-7000-8000-000000000000", labId), foreign);
        for (String action : List.of("start", "stop", "restart")) {
            expect(instructor, "POST", lab + "/" + action, null, 403);
            expect(anonymous, "POST", lab + "/" + action, null, 401);
        }
        expect(anonymous, "GET", lab, null, 401);
        expect(anonymous, "GET", "/api/v1/labs", null, 401);
        expect(anonymous, "POST", "/api/v1/labs", Map.of("templateId", templateId), 401);
        expect(instructor, "DELETE", lab, null, 403);
        expect(owner, "POST", lab + "/stop", null, 202);
        expect(admin, "POST", lab + "/start", null, 202);
        expect(otherStudent, "POST", "/api/v1/labs", Map.of("templateId", hiddenTemplateId), 400);
        expect(owner, "DELETE", lab, null, 202);
    }

    private static String c404(Client c, String path) {
        return c.req().get(path).then().statusCode(404).extract().path("detail");
    }

    @Test
    void tokensBelongToTheirAccountAndStopWorkingWhenRevoked() {
        var created = owner.req().body(Map.of("name", "ci")).post("/api/v1/me/tokens").then().statusCode(201).extract();
        String token = created.path("token");
        String tokenId = created.path("id");
        RestAssured.given().header("Authorization", "Bearer " + token).get("/api/v1/me")
                .then().statusCode(200).body("username", equalTo(owner.username()));
        RestAssured.given().header("Authorization", "Bearer " + token).get("/api/v1/labs/" + labId).then().statusCode(200);
        owner.req().get("/api/v1/me/tokens").then().statusCode(200).body("items.id", hasItem(tokenId))
                .body("items[0].token", equalTo(null));
        otherStudent.req().get("/api/v1/me/tokens").then().body("items.id", not(hasItem(tokenId)));
        expect(otherStudent, "DELETE", "/api/v1/me/tokens/" + tokenId, null, 404);
        expect(anonymous, "POST", "/api/v1/me/tokens", Map.of("name", "x"), 401);
        expect(anonymous, "GET", "/api/v1/me/tokens", null, 401);
        expect(anonymous, "DELETE", "/api/v1/me/tokens/" + tokenId, null, 401);
        expect(anonymous, "GET", "/api/v1/me", null, 401);
        expect(owner, "DELETE", "/api/v1/me/tokens/" + tokenId, null, 204);
        RestAssured.given().header("Authorization", "Bearer " + token).get("/api/v1/me").then().statusCode(401);
        RestAssured.given().header("Authorization", "Bearer lct_forged").get("/api/v1/me").then().statusCode(401)
                .contentType("application/problem+json");
    }
}
