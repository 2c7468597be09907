package org.labcontroller.course;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api;
import org.labcontroller.api.CourseCast;
import org.labcontroller.api.Courses;

/**
 * Who may reset a lab and a whole class: the lab's owner, an instructor of its course and an admin
 * reset one lab; another student and an instructor of another course do not even see it (404); the
 * class reset needs the course's code typed as confirmation, is the course's instructors' and
 * admins' only, and resets every lab of the course (or of one template).
 */
@QuarkusTest
class CourseResetTest extends CourseCast {
    @jakarta.inject.Inject
    org.labcontroller.lab.Fence fence;
    @jakarta.inject.Inject
    org.labcontroller.lab.Reconciler reconciler;
    String templateId;
    String otherTemplateId;
    String code;
    String labId;
    String classmateLabId;

    @BeforeEach
    void setUp() {
        templateId = Api.createTemplate(admin, Api.demoTemplate(Api.unique("reset")));
        otherTemplateId = Api.createTemplate(admin, Api.demoTemplate(Api.unique("reset-b")));
        Map<String, Object> body = Courses.body(List.of(templateId, otherTemplateId), null);
        code = (String) body.get("code");
        enrolledCourse(body);
        // The other instructor teaches a course of their own.
        Courses.create(otherInstructor, Courses.body(List.of(templateId), null));
        labId = Courses.startLab(student, courseId, templateId);
        classmateLabId = Courses.startLab(classmate, courseId, otherTemplateId);
    }

    private String reset(String id) {
        return "/api/v1/labs/" + id + "/reset";
    }

    private List<String> auditActions(String id) {
        return admin.req().get("/api/v1/audit?labId=" + id).then().extract().path("items.action");
    }

    @Test
    void theOwnerAnInstructorOfTheCourseAndAnAdminResetALab() {
        student.req().post(reset(labId)).then().statusCode(202).body("id", equalTo(labId)).body("state", equalTo("Starting"));
        instructor.req().post(reset(labId)).then().statusCode(202);
        admin.req().post(reset(labId)).then().statusCode(202);
        assertEquals(3, auditActions(labId).stream().filter("reset"::equals).count(), auditActions(labId).toString());
    }

    @Test
    void anotherStudentAndAnInstructorOfAnotherCourseDoNotSeeTheLab() {
        otherStudent.req().post(reset(labId)).then().statusCode(404).contentType("application/problem+json");
        classmate.req().post(reset(labId)).then().statusCode(404);
        otherInstructor.req().post(reset(labId)).then().statusCode(404);
        Api.anonymous().req().post(reset(labId)).then().statusCode(401);
        assertTrue(!auditActions(labId).contains("reset"), "nothing was reset");
    }

    @Test
    void aLabBeingDeletedIsNotReset() throws Exception {
        // The test takes the loop's leadership, so the app's own loop cannot finish the deletion (and
        // remove the row) before the reset arrives: the lab stays "being deleted" for certain.
        fence.claim();
        try {
            student.req().delete("/api/v1/labs/" + labId).then().statusCode(202);
            student.req().post(reset(labId)).then().statusCode(409).contentType("application/problem+json");
        } finally {
            reconciler.retakeLeadershipForTests();
        }
    }

    @Test
    void theClassResetResetsEveryLabOfTheCourse() {
        instructor.req().body(Map.of("confirm", code)).post("/api/v1/courses/" + courseId + "/reset")
                .then().statusCode(202).body("labs", equalTo(2));
        assertTrue(auditActions(labId).contains("reset"));
        assertTrue(auditActions(classmateLabId).contains("reset"));
        admin.req().body(Map.of("confirm", code, "templateId", otherTemplateId)).post("/api/v1/courses/" + courseId + "/reset")
                .then().statusCode(202).body("labs", equalTo(1));
        assertEquals(1, auditActions(labId).stream().filter("reset"::equals).count(), "only the template's labs the second time");
        assertEquals(2, auditActions(classmateLabId).stream().filter("reset"::equals).count());
    }

    @Test
    void theClassResetNeedsTheCourseCodeAsConfirmation() {
        String path = "/api/v1/courses/" + courseId + "/reset";
        instructor.req().body(Map.of()).post(path).then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("confirm"));
        instructor.req().body(Map.of("confirm", code + "x")).post(path).then().statusCode(400).body("field", equalTo("confirm"));
        assertTrue(!auditActions(labId).contains("reset"), "nothing was reset");
    }

    @Test
    void aStudentAndAnInstructorOfAnotherCourseCannotResetTheClass() {
        String path = "/api/v1/courses/" + courseId + "/reset";
        student.req().body(Map.of("confirm", code)).post(path).then().statusCode(403).contentType("application/problem+json");
        otherInstructor.req().body(Map.of("confirm", code)).post(path).then().statusCode(404);
        otherStudent.req().body(Map.of("confirm", code)).post(path).then().statusCode(404);
        assertTrue(!auditActions(labId).contains("reset"), "nothing was reset");
    }
}
