package org.labcontroller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api.Client;

/**
 * What each caller reads of a template: students and other instructors only what starting and
 * using a lab needs (no image paths, no cloud-init, which may hold passwords, no owner); the
 * template's owner and admins all of it.
 */
@QuarkusTest
class TemplateVisibilityTest {
    private static final String SECRET = "chpasswd: {list: 'student:s3cret-from-cloud-init'}";
    private static final Set<String> LAUNCH_FIELDS = Set.of("id", "name", "description", "cpus", "memoryMb", "console", "vnc",
            "maxLifetimeMinutes", "network", "allowedActions");

    private static String templateWithCloudInit(Client author) {
        Map<String, Object> body = new HashMap<>(Api.demoTemplate(Api.unique("secretive")));
        body.put("cloudInit", "#cloud-config\n" + SECRET + "\n");
        return Api.createTemplate(author, body);
    }

    private static Map<String, Object> one(Client c, String id) {
        return c.req().get("/api/v1/templates/" + id).then().statusCode(200).extract().jsonPath().getMap("");
    }

    private static Map<String, Object> listed(Client c, String id) {
        List<Map<String, Object>> items = c.req().get("/api/v1/templates?limit=500").then().statusCode(200)
                .extract().jsonPath().getList("items");
        return items.stream().filter(t -> id.equals(t.get("id"))).findFirst().orElseThrow();
    }

    @Test
    void eachCallerIsToldWhatTheyMayDoWithATemplate() {
        Client admin = Api.admin();
        Client owner = Api.user(admin, "instructor");
        String id = templateWithCloudInit(owner);
        assertEquals(List.of("view", "start-lab", "edit", "delete"), one(owner, id).get("allowedActions"));
        assertEquals(List.of("view", "start-lab", "edit", "delete"), one(admin, id).get("allowedActions"));
        assertEquals(List.of("view", "start-lab"), one(Api.user(admin, "student"), id).get("allowedActions"));
        assertEquals(List.of("view", "start-lab"), listed(Api.user(admin, "instructor"), id).get("allowedActions"));
    }

    @Test
    void studentsReadOnlyWhatStartingALabNeedsAndNeverTheCloudInit() {
        Client admin = Api.admin();
        String id = templateWithCloudInit(Api.user(admin, "instructor"));
        Client student = Api.user(admin, "student");
        assertEquals(LAUNCH_FIELDS, one(student, id).keySet());
        assertEquals(LAUNCH_FIELDS, listed(student, id).keySet());
        assertFalse(student.req().get("/api/v1/templates?limit=500").then().extract().asString().contains("s3cret"));
        assertFalse(student.req().get("/api/v1/templates/" + id).then().extract().asString().contains("demo/vmlinuz"));
    }

    @Test
    void instructorsReadTheirOwnTemplatesInFullAndOnlyTheLaunchFieldsOfAnotherInstructorsOffered() {
        Client admin = Api.admin();
        Client owner = Api.user(admin, "instructor");
        String id = templateWithCloudInit(owner);
        assertEquals(owner.id(), one(owner, id).get("ownerId"));
        assertEquals("demo/vmlinuz", ((Map<?, ?>) listed(owner, id).get("image")).get("kernel"));
        assertEquals(true, String.valueOf(one(owner, id).get("cloudInit")).contains(SECRET));
        Client other = Api.user(admin, "instructor");
        assertEquals(LAUNCH_FIELDS, one(other, id).keySet());
        assertEquals(LAUNCH_FIELDS, listed(other, id).keySet());
    }

    @Test
    void adminsReadEveryTemplateInFull() {
        Client admin = Api.admin();
        Client owner = Api.user(admin, "instructor");
        String id = templateWithCloudInit(owner);
        Map<String, Object> full = one(admin, id);
        assertEquals(owner.id(), full.get("ownerId"));
        assertEquals(true, String.valueOf(full.get("cloudInit")).contains(SECRET));
        assertEquals("demo/vmlinuz", ((Map<?, ?>) listed(admin, id).get("image")).get("kernel"));
    }
}
