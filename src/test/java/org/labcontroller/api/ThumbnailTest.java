package org.labcontroller.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api.Client;

/**
 * {@code GET /api/v1/labs/{id}/screenshot} against a real QEMU lab of a course: who may see a
 * student's screen (the student, the course's instructor, an admin), who gets the same answer as
 * for a missing lab, and that a stopped lab has no picture.
 */
@QuarkusTest
class ThumbnailTest {
    @TestHTTPResource(value = "/", management = true)
    URL management;
    Client admin;
    Client instructor;
    Client student;
    String courseId;
    String screenshot;

    @BeforeEach
    void startCourseLab() {
        admin = Api.admin();
        instructor = Api.user(admin, "instructor");
        student = Api.user(admin, "student");
        String templateId = Api.createTemplate(admin, Api.demoTemplate(Api.unique("thumbs")));
        courseId = Courses.create(instructor, Courses.body(List.of(templateId), null));
        Courses.enrol(instructor, courseId, student, "student");
        String labId = Courses.startLab(student, courseId, templateId);
        screenshot = "/api/v1/labs/" + labId + "/screenshot";
        await().atMost(Duration.ofSeconds(90)).until(() ->
                "Running".equals(student.req().get("/api/v1/labs/" + labId).then().extract().path("state")));
    }

    @AfterEach
    void deleteLabs() {
        Courses.deleteLabs(admin, courseId);
    }

    @Test
    void theOwnerTheCoursesInstructorAndAnAdminSeeThePngNoOneElse() throws Exception {
        double taken = metric("lab_thumbnails_taken_total");
        double shared = metric("lab_thumbnails_shared_total");
        for (Client c : List.of(student, instructor, admin)) {
            Response r = c.req().accept("image/png").get(screenshot);
            assertEquals(200, r.statusCode(), c.username());
            assertEquals("image/png", r.contentType(), c.username());
            assertTrue(r.header("Cache-Control").contains("no-store"), "never cached by a browser or proxy");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(r.asByteArray()));
            assertNotNull(image, "a PNG that decodes");
            assertTrue(image.getWidth() >= 320 && image.getHeight() >= 200, image.getWidth() + "x" + image.getHeight());
        }
        Client otherStudent = Api.user(admin, "student");
        Client otherInstructor = Api.user(admin, "instructor");
        for (Client c : List.of(otherStudent, otherInstructor)) {
            Response r = c.req().get(screenshot);
            assertEquals(404, r.statusCode(), c.username() + " gets what a missing lab answers");
            assertEquals("application/problem+json", r.contentType());
        }
        assertEquals(1, metric("lab_thumbnails_taken_total") - taken, "one screenshot within the max age (1m in tests)");
        assertEquals(2, metric("lab_thumbnails_shared_total") - shared, "the two later viewers got the same picture");
        assertEquals(401, Api.anonymous().req().get(screenshot).statusCode());
        assertEquals(404, student.req().get("/api/v1/labs/no-such-lab/screenshot").statusCode());
    }

    @Test
    void aLabWhoseTemplateOffersNoScreenHasNoPicture() {
        Map<String, Object> body = new HashMap<>(Api.demoTemplate(Api.unique("noscreen")));
        body.put("vnc", false);
        String templateId = Api.createTemplate(admin, body);
        String lab = admin.req().body(Map.of("templateId", templateId)).post("/api/v1/labs").then().statusCode(201).extract().path("id");
        try {
            await().atMost(Duration.ofSeconds(90)).until(() ->
                    "Running".equals(admin.req().get("/api/v1/labs/" + lab).then().extract().path("state")));
            Response r = admin.req().get("/api/v1/labs/" + lab + "/screenshot");
            assertEquals(409, r.statusCode());
            assertTrue(r.asString().contains("does not offer its screen"), r.asString());
        } finally {
            admin.req().delete("/api/v1/labs/" + lab);
        }
    }

    @Test
    void aStoppedLabHasNoPicture() {
        String lab = screenshot.replace("/screenshot", "");
        student.req().post(lab + "/stop").then().statusCode(202);
        Response r = student.req().get(screenshot);
        assertEquals(409, r.statusCode());
        assertEquals("application/problem+json", r.contentType());
    }

    private double metric(String name) {
        String metrics = Api.anonymous().req().get(Api.onManagementPort(management, "/q/metrics")).then().statusCode(200)
                .extract().asString();
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
