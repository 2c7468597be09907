package org.labcontroller.course;

import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api;
import org.labcontroller.api.CourseCast;
import org.labcontroller.api.Api.Client;
import org.labcontroller.api.Courses;

/**
 * Walks every course, membership and course-lab endpoint as an admin, the course's instructor,
 * another instructor, an enrolled student, a classmate, another student and anonymous: a course
 * the caller is not in answers exactly like a missing one (404), anonymous is 401, a member
 * without the right is 403.
 */
@QuarkusTest
class CourseAuthorizationTest extends CourseCast {
    private static final String MISSING = "00000000-0000-7000-8000-000000000000";

    Client anonymous = Api.anonymous();
    String templateId;
    String course;
    String labId;

    @BeforeEach
    void setUp() {
        templateId = Api.createTemplate(admin, Api.demoTemplate(Api.unique("course")));
        course = "/api/v1/courses/" + enrolledCourse(Courses.body(List.of(templateId), null));
        labId = Courses.startLab(student, courseId, templateId);
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
    void aCourseIsSeenByAdminsItsInstructorsAndItsStudentsOnlyEachWithTheirActions() {
        for (Client c : List.of(admin, instructor, student, classmate)) {
            expect(c, "GET", course, null, 200);
            c.req().get("/api/v1/courses").then().statusCode(200).body("items.id", hasItem(courseId));
        }
        for (Client c : List.of(otherInstructor, otherStudent)) {
            expect(c, "GET", course, null, 404);
            c.req().get("/api/v1/courses").then().statusCode(200).body("items.id", not(hasItem(courseId)));
        }
        expect(anonymous, "GET", course, null, 401);
        expect(anonymous, "GET", "/api/v1/courses", null, 401);
        assertEquals(otherStudent.req().get("/api/v1/courses/" + MISSING).then().extract().path("detail").toString()
                .replace(MISSING, courseId), otherStudent.req().get(course).then().extract().path("detail"));
        instructor.req().get(course).then().body("allowedActions", hasItems("edit", "delete", "roster", "provision", "view-labs", "operate-labs"))
                .body("myRole", org.hamcrest.Matchers.equalTo("instructor"));
        admin.req().get(course).then().body("allowedActions", hasItems("edit", "roster", "provision"));
        student.req().get(course).then().body("allowedActions", hasItems("view", "start-lab"))
                .body("allowedActions", not(hasItem("edit"))).body("allowedActions", not(hasItem("operate-labs")))
                .body("templates.id", hasItem(templateId));
    }

    @Test
    void onlyItsInstructorsAndAdminsChangeACourseAndItsMembers() {
        Map<String, Object> replaced = Courses.body(List.of(templateId), Map.of("maxLabsPerStudent", 2));
        Map<String, Object> newMember = Map.of("username", Api.user(admin, "student").username(), "role", "student");
        String member = course + "/members/" + classmate.id();
        for (Client c : List.of(otherInstructor, otherStudent)) {
            expect(c, "PUT", course, replaced, 404);
            expect(c, "DELETE", course, null, 404);
            expect(c, "GET", course + "/members", null, 404);
            expect(c, "POST", course + "/members", newMember, 404);
            expect(c, "DELETE", member, null, 404);
            expect(c, "POST", course + "/provision", Map.of("templateId", templateId), 404);
        }
        for (Client c : List.of(student, classmate)) {
            expect(c, "PUT", course, replaced, 403);
            expect(c, "DELETE", course, null, 403);
            expect(c, "GET", course + "/members", null, 403);
            expect(c, "POST", course + "/members", newMember, 403);
            expect(c, "DELETE", member, null, 403);
            expect(c, "POST", course + "/provision", Map.of("templateId", templateId), 403);
            student.req().contentType("text/csv").body("username\nx1\n").post(course + "/roster").then().statusCode(403);
        }
        for (String[] call : new String[][] {{"PUT", course}, {"DELETE", course}, {"GET", course + "/members"},
                {"POST", course + "/members"}, {"DELETE", member}, {"POST", course + "/provision"}, {"GET", course + "/labs"},
                {"POST", course + "/labs"}, {"POST", "/api/v1/courses"}}) {
            expect(anonymous, call[0], call[1], call[0].equals("GET") || call[0].equals("DELETE") ? null : Map.of(), 401);
        }
        otherInstructor.req().contentType("text/csv").body("username\nx1\n").post(course + "/roster").then().statusCode(404);
        expect(student, "POST", "/api/v1/courses", Courses.body(List.of(templateId), null), 403);
        expect(otherInstructor, "POST", "/api/v1/courses", Courses.body(List.of(templateId), null), 201);
        expect(instructor, "GET", course + "/members", null, 200);
        expect(instructor, "POST", course + "/members", newMember, 201);
        expect(instructor, "PUT", course, replaced, 200);
        expect(admin, "PUT", course, Courses.body(List.of(templateId), null), 200);
        expect(instructor, "DELETE", course, null, 409);
        expect(admin, "DELETE", member, null, 204);
        expect(classmate, "GET", course, null, 404);
    }

    @Test
    void courseLabsAreSeenByTheirStudentTheCoursesInstructorsAndAdminsOnly() {
        String lab = "/api/v1/labs/" + labId;
        for (Client c : List.of(student, instructor, admin)) {
            expect(c, "GET", lab, null, 200);
            c.req().get(course + "/labs").then().statusCode(200).body("items.id", hasItem(labId));
            c.req().get("/api/v1/labs").then().body("items.id", hasItem(labId));
        }
        classmate.req().get(course + "/labs").then().statusCode(200).body("items.id", not(hasItem(labId)));
        for (Client c : List.of(classmate, otherStudent, otherInstructor)) {
            expect(c, "GET", lab, null, 404);
            expect(c, "POST", lab + "/stop", null, 404);
            expect(c, "DELETE", lab, null, 404);
            c.req().get("/api/v1/labs").then().body("items.id", not(hasItem(labId)));
        }
        expect(otherStudent, "GET", course + "/labs", null, 404);
        expect(otherInstructor, "GET", course + "/labs", null, 404);
        expect(otherStudent, "POST", course + "/labs", Map.of("templateId", templateId), 404);
        expect(instructor, "POST", course + "/labs", Map.of("templateId", templateId), 403);
        expect(anonymous, "GET", lab, null, 401);
        expect(instructor, "POST", lab + "/stop", null, 202);
        expect(instructor, "POST", lab + "/start", null, 202);
        expect(student, "POST", lab + "/stop", null, 202);
    }
}
