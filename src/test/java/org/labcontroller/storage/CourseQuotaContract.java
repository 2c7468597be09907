package org.labcontroller.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api;
import org.labcontroller.api.Api.Client;
import org.labcontroller.api.Courses;
import org.labcontroller.api.Parallel;

/**
 * Course quotas that the database must hold under 20 starts at once: labs per student and the
 * course's vCPUs. Subclasses pick the database; every race starts its calls at one gate, and the
 * assertions count outcomes, so a pass does not depend on timing.
 */
abstract class CourseQuotaContract {
    private final List<String> courses = new ArrayList<>();
    private Client admin;

    private String course(Map<String, Object> quotas, String templateId) {
        admin = Api.admin();
        Client instructor = Api.user(admin, "instructor");
        String id = Courses.create(instructor, Courses.body(List.of(templateId), quotas));
        courses.add(id);
        return id;
    }

    @AfterEach
    void deleteLabs() {
        courses.forEach(c -> Courses.deleteLabs(admin, c));
    }

    private static void assertOutcomes(List<HttpResponse<String>> answers, int created) {
        List<Integer> statuses = answers.stream().map(HttpResponse::statusCode).toList();
        assertEquals(created, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(answers.size() - created, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        answers.stream().filter(r -> r.statusCode() == 409)
                .forEach(r -> assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("")));
    }

    @Test
    void twentyParallelStartsOfOneStudentStopAtTheLabsPerStudent() throws Exception {
        Client admin = Api.admin();
        String template = Api.createTemplate(admin, Api.demoTemplate(Api.unique("quota")));
        String id = course(Map.of("maxLabsPerStudent", 2), template);
        Client student = Api.user(admin, "student");
        Courses.enrol(admin, id, student, "student");
        var answers = Parallel.run(20, i -> () -> Parallel.send(student, "POST", "/api/v1/courses/" + id + "/labs",
                "{\"templateId\":\"" + template + "\"}"));
        assertOutcomes(answers, 2);
        List<?> labs = student.req().get("/api/v1/courses/" + id + "/labs").then().statusCode(200).extract().path("items");
        assertEquals(2, labs.size());
    }

    @Test
    void twentyStudentsStartingAtOnceStopAtTheCoursesVcpus() throws Exception {
        Client admin = Api.admin();
        String template = Api.createTemplate(admin, Api.demoTemplate(Api.unique("vcpu")));
        String id = course(Map.of("maxVcpus", 3), template);
        List<Client> students = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Client s = Api.user(admin, "student");
            Courses.enrol(admin, id, s, "student");
            students.add(s);
        }
        var answers = Parallel.run(20, i -> () -> Parallel.send(students.get(i), "POST", "/api/v1/courses/" + id + "/labs",
                "{\"templateId\":\"" + template + "\"}"));
        assertOutcomes(answers, 3);
        List<?> labs = admin.req().get("/api/v1/courses/" + id + "/labs").then().statusCode(200).extract().path("items");
        assertEquals(3, labs.size());
    }
}
