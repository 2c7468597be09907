package org.labcontroller.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.labcontroller.api.Api.Client;

/** Fixture builders for course tests: a course, its members, its labs. */
public final class Courses {
    private Courses() {
    }

    /** A course body offering the templates, open now (no window), with the given quotas (null = none). */
    public static Map<String, Object> body(List<String> templateIds, Map<String, Object> quotas) {
        Map<String, Object> b = new HashMap<>();
        b.put("name", "Networks 101");
        b.put("code", Api.unique("NET"));
        b.put("templateIds", templateIds);
        if (quotas != null) {
            b.put("quotas", quotas);
        }
        return b;
    }

    public static String create(Client author, Map<String, Object> body) {
        return author.req().body(body).post("/api/v1/courses").then().statusCode(201).extract().path("id");
    }

    public static void enrol(Client manager, String courseId, Client member, String role) {
        manager.req().body(Map.of("username", member.username(), "role", role))
                .post("/api/v1/courses/" + courseId + "/members").then().statusCode(201);
    }

    public static String startLab(Client student, String courseId, String templateId) {
        return student.req().body(Map.of("templateId", templateId)).post("/api/v1/courses/" + courseId + "/labs")
                .then().statusCode(201).extract().path("id");
    }

    /** Deletes every lab of the course (as an admin) so the test leaves no machines behind. */
    public static void deleteLabs(Client admin, String courseId) {
        List<String> ids = admin.req().get("/api/v1/courses/" + courseId + "/labs?limit=500").then().extract().path("items.id");
        for (String id : ids) {
            admin.req().delete("/api/v1/labs/" + id);
        }
    }
}
