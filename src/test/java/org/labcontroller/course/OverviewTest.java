package org.labcontroller.course;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api;
import org.labcontroller.api.CourseCast;
import org.labcontroller.api.Api.Client;
import org.labcontroller.api.Courses;
import org.labcontroller.app.TestClock;
import org.labcontroller.lab.LabActivity;

/**
 * The class overview: who may read it (the course's instructors and admins; a student of the course
 * is refused, anyone outside it gets 404), a tile for every student with or without a lab, inactivity
 * from {@link LabActivity} measured with the injected clock, filters and orders, and a 400 naming a
 * bad parameter.
 */
@QuarkusTest
class OverviewTest extends CourseCast {
    @Inject
    LabActivity activity;
    @Inject
    TestClock clock;

    String overview;
    String labId;

    @BeforeEach
    void setUp() {
        String templateId = Api.createTemplate(admin, Api.demoTemplate(Api.unique("overview")));
        overview = "/api/v1/courses/" + enrolledCourse(Courses.body(List.of(templateId), null)) + "/overview";
        labId = Courses.startLab(student, courseId, templateId);
    }

    @AfterEach
    void tearDown() {
        clock.reset();
    }

    private static int status(Client c, String path) {
        return c.req().get(path).then().extract().statusCode();
    }

    @Test
    void onlyTheCoursesInstructorsAndAdminsReadTheOverview() {
        Client otherInstructor = Api.user(admin, "instructor");
        Client otherStudent = Api.user(admin, "student");
        assertEquals(200, status(admin, overview), "admin");
        assertEquals(200, status(instructor, overview), "the course's instructor");
        assertEquals(403, status(student, overview), "a student of the course");
        assertEquals(403, status(classmate, overview), "a classmate");
        assertEquals(404, status(otherInstructor, overview), "an instructor of another course");
        assertEquals(404, status(otherStudent, overview), "a student outside the course");
        assertEquals(401, status(Api.anonymous(), overview), "anonymous");
        assertEquals(404, status(admin, "/api/v1/courses/00000000-0000-7000-8000-000000000000/overview"), "a missing course");
    }

    @Test
    void everyStudentHasATileWithTheirLabsAndTheCallersActions() {
        instructor.req().get(overview).then().statusCode(200)
                .body("students", equalTo(2))
                .body("tiles.student.username", containsInAnyOrder(student.username(), classmate.username()))
                .body("tiles.find { it.student.id == '" + classmate.id() + "' }.state", equalTo("none"))
                .body("tiles.find { it.student.id == '" + classmate.id() + "' }.labs", empty())
                .body("tiles.find { it.student.id == '" + student.id() + "' }.labs[0].id", equalTo(labId))
                .body("tiles.find { it.student.id == '" + student.id() + "' }.labs[0].templateName", notNullValue())
                .body("tiles.find { it.student.id == '" + student.id() + "' }.labs[0].allowedActions",
                        hasItems("view", "stop", "watch", "assist", "thumbnail"))
                .body("counts.none", equalTo(1));
        admin.req().get(overview).then().statusCode(200)
                .body("tiles.find { it.student.id == '" + student.id() + "' }.labs[0].allowedActions", hasItems("watch", "assist"));
    }

    @Test
    void idleTimeComesFromTheLastInputAndTheInjectedClock() {
        activity.inputSeen(labId);
        clock.advance(Duration.ofMinutes(5));
        String tile = "tiles.find { it.student.id == '" + student.id() + "' }";
        String empty = "tiles.find { it.student.id == '" + classmate.id() + "' }";
        instructor.req().get(overview).then().statusCode(200)
                .body(tile + ".lastInputAt", notNullValue())
                .body(tile + ".idleSeconds", greaterThanOrEqualTo(300))
                .body(tile + ".idleSeconds", lessThan(600))
                .body(tile + ".labs[0].lastInputAt", notNullValue())
                .body(empty + ".lastInputAt", nullValue())
                .body(empty + ".idleSeconds", nullValue());
        instructor.req().get(overview + "?sort=idle").then().statusCode(200)
                .body("tiles.student.id", contains(student.id(), classmate.id()));
        instructor.req().get(overview + "?idleMinutes=4").then().statusCode(200)
                .body("tiles.student.id", contains(student.id())).body("students", equalTo(2));
        instructor.req().get(overview + "?idleMinutes=6").then().statusCode(200).body("tiles", empty());
    }

    @Test
    void filtersByStateAndSortsByStateOrName() {
        instructor.req().get(overview + "?state=none").then().statusCode(200)
                .body("tiles.student.id", contains(classmate.id()))
                .body("counts.none", equalTo(1)).body("students", equalTo(2));
        instructor.req().get(overview + "?state=NONE&sort=state").then().statusCode(200).body("tiles", hasSize(1));
        instructor.req().get(overview + "?state=deleting").then().statusCode(200).body("tiles", empty());
        instructor.req().get(overview + "?sort=state").then().statusCode(200)
                .body("tiles.student.id", contains(student.id(), classmate.id()));
        List<String> byName = List.of(student.username(), classmate.username()).stream().sorted().toList();
        instructor.req().get(overview + "?sort=name").then().statusCode(200).body("tiles.student.username", equalTo(byName));
    }

    @Test
    void theLabApiCarriesEachCallersActions() {
        String lab = "/api/v1/labs/" + labId;
        student.req().get(lab).then().statusCode(200).body("allowedActions", hasItems("view", "stop", "console", "screen", "reset"))
                .body("allowedActions", org.hamcrest.Matchers.not(hasItems("watch")));
        instructor.req().get(lab).then().statusCode(200).body("allowedActions", hasItems("view", "stop", "watch", "assist", "thumbnail"))
                .body("allowedActions", org.hamcrest.Matchers.not(hasItems("console")));
        admin.req().get(lab).then().statusCode(200).body("allowedActions", hasItems("watch", "assist"));
        instructor.req().get("/api/v1/labs?limit=500").then().statusCode(200)
                .body("items.find { it.id == '" + labId + "' }.allowedActions", hasItems("watch", "assist"));
        student.req().get("/api/v1/labs").then().statusCode(200)
                .body("items.find { it.id == '" + labId + "' }.allowedActions", hasItems("console"));
    }

    @Test
    void theOverviewIsInTheOpenApi() {
        io.restassured.RestAssured.given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/courses/{id}/overview"));
    }

    @Test
    void aBadParameterIsAProblemNamingIt() {
        for (String[] bad : List.of(new String[] {"sort=loudest", "sort"}, new String[] {"state=asleep", "state"},
                new String[] {"idleMinutes=soon", "idleMinutes"}, new String[] {"idleMinutes=-1", "idleMinutes"})) {
            instructor.req().get(overview + "?" + bad[0]).then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo(bad[1]));
        }
    }
}
