package org.labcontroller.course;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api;
import org.labcontroller.api.Api.Client;
import org.labcontroller.api.Courses;
import org.labcontroller.app.TestClock;

/**
 * A course's window and lab-hours, by moving the injected clock: templates, new labs and a
 * student's restarts of a stopped course lab only while it is open.
 */
@QuarkusTest
class CourseScheduleTest {
    @Inject
    TestClock clock;

    Client admin;
    Client instructor;
    Client student;
    String templateId;

    @BeforeEach
    void setUp() {
        admin = Api.admin();
        instructor = Api.user(admin, "instructor");
        student = Api.user(admin, "student");
        Map<String, Object> template = new HashMap<>(Api.demoTemplate(Api.unique("window")));
        template.put("maxLifetimeMinutes", 600); // outlives the clock's moves, so no lab expires meanwhile
        templateId = Api.createTemplate(admin, template);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private String course(Instant opens, Instant closes, Map<String, Object> quotas) {
        Map<String, Object> body = new HashMap<>(Courses.body(List.of(templateId), quotas));
        body.put("opensAt", opens.toString());
        body.put("closesAt", closes.toString());
        String id = Courses.create(instructor, body);
        Courses.enrol(instructor, id, student, "student");
        return id;
    }

    @Test
    void templatesAreOfferedAndLabsStartOnlyBetweenOpeningAndClosing() {
        Instant now = clock.instant();
        Instant opens = now.plus(Duration.ofHours(1));
        String id = course(opens, opens.plus(Duration.ofHours(1)), null);
        String path = "/api/v1/courses/" + id;
        student.req().get(path).then().statusCode(200).body("open", equalTo(false)).body("templates", empty())
                .body("closedReason", containsString("closed until " + opens)).body("allowedActions", not(hasItem("start-lab")));
        instructor.req().get(path).then().body("templates.id", hasItem(templateId));
        student.req().body(Map.of("templateId", templateId)).post(path + "/labs").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("closed until"));

        clock.advance(Duration.ofMinutes(61));
        student.req().get(path).then().body("open", equalTo(true)).body("templates.id", hasItem(templateId))
                .body("allowedActions", hasItem("start-lab"));
        String lab = Courses.startLab(student, id, templateId);
        student.req().get("/api/v1/labs/" + lab).then().body("courseId", equalTo(id));
        student.req().post("/api/v1/labs/" + lab + "/stop").then().statusCode(202);

        clock.advance(Duration.ofMinutes(60));
        student.req().post("/api/v1/labs/" + lab + "/start").then().statusCode(409).body("detail", containsString("closed at"));
        instructor.req().post("/api/v1/labs/" + lab + "/start").then().statusCode(202);
        admin.req().delete("/api/v1/labs/" + lab).then().statusCode(202);
        student.req().get(path).then().body("open", equalTo(false)).body("templates", empty())
                .body("closedReason", containsString("closed at"));
        student.req().body(Map.of("templateId", templateId)).post(path + "/labs").then().statusCode(409)
                .body("detail", containsString("closed at"));
    }

    @Test
    void aStudentWhoseLabHoursAreUsedUpStartsNoMoreLabs() {
        Instant now = clock.instant();
        String id = course(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), Map.of("maxLabHoursPerStudent", 1));
        String lab = Courses.startLab(student, id, templateId);
        admin.req().delete("/api/v1/labs/" + lab).then().statusCode(202);
        clock.advance(Duration.ofMinutes(30));
        // The deleted lab counted only until its deletion (moments): there is time left.
        String second = Courses.startLab(student, id, templateId);
        clock.advance(Duration.ofMinutes(61));
        student.req().body(Map.of("templateId", templateId)).post("/api/v1/courses/" + id + "/labs").then().statusCode(409)
                .body("detail", containsString("lab-hours per student"));
        admin.req().delete("/api/v1/labs/" + second);
    }
}
