package org.labcontroller.course;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api;
import org.labcontroller.api.Api.Client;
import org.labcontroller.api.Courses;

/**
 * "A lab for every student": two runs at once and a second run create only what is missing,
 * quotas refuse with reasons, progress counts.
 */
@QuarkusTest
class ProvisionTest {
    Client admin;
    String courseId;

    @org.junit.jupiter.api.BeforeEach
    void logIn() {
        admin = Api.admin();
    }

    @AfterEach
    void deleteLabs() {
        Courses.deleteLabs(admin, courseId);
    }

    @Test
    void provisioningTwiceCreatesOnlyTheMissingLabsAndReportsProgress() throws Exception {
        Client instructor = Api.user(admin, "instructor");
        String template = Api.createTemplate(instructor, Api.demoTemplate(Api.unique("prov")));
        courseId = Courses.create(instructor, Courses.body(List.of(template), Map.of("maxVcpus", 3)));
        String path = "/api/v1/courses/" + courseId + "/provision";
        for (int i = 0; i < 2; i++) {
            Courses.enrol(instructor, courseId, Api.user(admin, "student"), "student");
        }
        Map<String, Object> body = Map.of("templateId", template);
        var twoAtOnce = org.labcontroller.api.Parallel.run(2, i -> () -> org.labcontroller.api.Parallel.send(instructor, "POST", path,
                "{\"templateId\":\"" + template + "\"}"));
        int created = 0;
        for (var answer : twoAtOnce) {
            org.junit.jupiter.api.Assertions.assertEquals(202, answer.statusCode(), answer.body());
            created += ((Number) io.restassured.path.json.JsonPath.from(answer.body()).get("created")).intValue();
        }
        org.junit.jupiter.api.Assertions.assertEquals(2, created, "two provision runs at once create one lab per student");
        instructor.req().body(body).post(path).then().statusCode(202).body("created", equalTo(0)).body("existing", equalTo(2));

        Client third = Api.user(admin, "student");
        Client fourth = Api.user(admin, "student");
        Courses.enrol(instructor, courseId, third, "student");
        Courses.enrol(instructor, courseId, fourth, "student");
        instructor.req().body(body).post(path).then().statusCode(202).body("students", equalTo(4)).body("created", equalTo(1))
                .body("existing", equalTo(2)).body("refused", hasSize(1)).body("refused[0].reason", containsString("vCPUs"));
        instructor.req().get(path + "?templateId=" + template).then().statusCode(200).body("students", equalTo(4))
                .body("missing", hasSize(1));
        third.req().get("/api/v1/courses/" + courseId + "/labs").then().statusCode(200)
                .body("items.ownerId", org.hamcrest.Matchers.everyItem(equalTo(third.id())));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                instructor.req().get(path + "?templateId=" + template).then().body("running", equalTo(3)).body("failed", empty()));
    }
}
