package org.labcontroller.storage;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api;
import org.labcontroller.api.Api.Client;

/**
 * What every storage backend must do, run through the real application: subclasses pick the
 * database (SQLite file, or the PostgreSQL server that .ci/run starts).
 */
abstract class StorageContract {
    @Inject
    Database database;

    abstract StorageConfig.Kind expectedKind();

    @Test
    void theConfiguredDatabaseIsTheOneInUse() {
        assertEquals(expectedKind(), database.kind());
        assertEquals(true, database.healthy());
    }

    @Test
    void accountsAreStoredChangedAndDeleted() {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        admin.req().get("/api/v1/users/" + student.id()).then().statusCode(200).body("role", equalTo("student"));
        admin.req().body(Map.of("role", "instructor")).patch("/api/v1/users/" + student.id()).then().statusCode(200);
        admin.req().get("/api/v1/users/" + student.id()).then().body("role", equalTo("instructor"));
        admin.req().body(Map.of("username", student.username(), "password", Api.PASSWORD, "role", "student"))
                .post("/api/v1/users").then().statusCode(409);
        admin.req().delete("/api/v1/users/" + student.id()).then().statusCode(204);
        admin.req().get("/api/v1/users/" + student.id()).then().statusCode(404);
    }

    @Test
    void templatesRoundTripEveryField() {
        Client admin = Api.admin();
        Map<String, Object> body = new HashMap<>(Api.demoTemplate(Api.unique("roundtrip")));
        body.put("cloudInit", "#cloud-config\nhostname: lab\n");
        body.put("vnc", false);
        body.put("offered", false);
        String id = Api.createTemplate(admin, body);
        admin.req().get("/api/v1/templates/" + id).then().statusCode(200)
                .body("name", equalTo(body.get("name"))).body("cpus", equalTo(1)).body("memoryMb", equalTo(192))
                .body("console", equalTo(true)).body("vnc", equalTo(false)).body("offered", equalTo(false))
                .body("cloudInit", equalTo("#cloud-config\nhostname: lab\n")).body("maxLifetimeMinutes", equalTo(60))
                .body("image.kernel", equalTo("demo/vmlinuz")).body("image.disk", nullValue());
        admin.req().delete("/api/v1/templates/" + id).then().statusCode(204);
    }

    @Test
    void listsArePagedWithAnOpaqueCursorInCreationOrder() {
        Client admin = Api.admin();
        Client instructor = Api.user(admin, "instructor");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Map<String, Object> body = new HashMap<>(Api.demoTemplate(Api.unique("page" + i)));
            body.put("offered", false);
            created.add(Api.createTemplate(instructor, body));
        }
        List<String> seen = new ArrayList<>();
        String cursor = "";
        do {
            var page = instructor.req().queryParam("limit", 2).queryParam("cursor", cursor).get("/api/v1/templates")
                    .then().statusCode(200).extract();
            List<Map<String, Object>> items = page.path("items");
            items.stream().map(m -> (String) m.get("id")).filter(created::contains).forEach(seen::add);
            cursor = page.path("nextCursor");
        } while (cursor != null);
        assertEquals(created, seen);
    }

    @Test
    void labsAreStoredAndTheirStateIsWrittenByTheLoop() {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        String template = Api.createTemplate(admin, Api.demoTemplate(Api.unique("storage-lab")));
        String id = student.req().body(Map.of("templateId", template)).post("/api/v1/labs").then().statusCode(201)
                .extract().path("id");
        student.req().get("/api/v1/labs").then().body("items.id", hasItem(id));
        await().atMost(Duration.ofSeconds(90)).until(() ->
                "Running".equals(student.req().get("/api/v1/labs/" + id).then().extract().path("state")));
        student.req().delete("/api/v1/labs/" + id).then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                student.req().get("/api/v1/labs/" + id).then().extract().statusCode() == 404);
    }
}
