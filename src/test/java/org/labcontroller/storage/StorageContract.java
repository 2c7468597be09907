package org.labcontroller.storage;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api;
import org.labcontroller.api.Courses;
import org.labcontroller.api.Api.Client;

/**
 * What every storage backend must do, run through the real application: subclasses pick the
 * database (SQLite file, or the PostgreSQL server that .ci/run starts).
 */
abstract class StorageContract {
    @Inject
    Database database;
    @Inject
    org.labcontroller.lab.LabRepository labs;
    @Inject
    org.labcontroller.lab.Fence fence;
    @Inject
    org.labcontroller.lab.Reconciler reconciler;
    @Inject
    org.labcontroller.lab.ResetRepository resets;
    @Inject
    org.labcontroller.course.CourseRepository courses;

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
        body.put("readiness", Map.of("mode", "console", "pattern", "login: $", "timeoutSeconds", 90));
        body.put("network", "internet");
        body.put("warmPool", 4);
        String id = Api.createTemplate(admin, body);
        admin.req().get("/api/v1/templates/" + id).then().statusCode(200)
                .body("name", equalTo(body.get("name"))).body("cpus", equalTo(1)).body("memoryMb", equalTo(192))
                .body("console", equalTo(true)).body("vnc", equalTo(false)).body("offered", equalTo(false))
                .body("cloudInit", equalTo("#cloud-config\nhostname: lab\n")).body("maxLifetimeMinutes", equalTo(60))
                .body("image.kernel", equalTo("demo/vmlinuz")).body("image.disk", nullValue())
                .body("readiness.mode", equalTo("console")).body("readiness.pattern", equalTo("login: $"))
                .body("readiness.timeoutSeconds", equalTo(90)).body("network", equalTo("internet"))
                .body("warmPool", equalTo(4));
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
    void twentyParallelCreatesNeverExceedTheQuota() throws Exception {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        String template = Api.createTemplate(admin, Api.demoTemplate(Api.unique("quota")));
        List<Callable<Integer>> creates = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            creates.add(() -> student.req().body(Map.of("templateId", template)).post("/api/v1/labs").then().extract().statusCode());
        }
        Map<Integer, Integer> byStatus = new TreeMap<>();
        atOnce(creates).forEach(status -> byStatus.merge(status, 1, Integer::sum));
        assertEquals(Map.of(201, 5, 409, 15), byStatus, "quota of 5 under 20 parallel creates");
        List<String> ids = student.req().get("/api/v1/labs").then().extract().path("items.id");
        assertEquals(5, ids.size());
        ids.forEach(id -> student.req().delete("/api/v1/labs/" + id).then().statusCode(202));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                ((List<?>) student.req().get("/api/v1/labs").then().extract().path("items")).isEmpty());
        admin.req().delete("/api/v1/templates/" + template).then().statusCode(204);
    }

    @Test
    void aLabOfATemplateThatIsGoneIsAForeignKeyConflictNotAServerError() {
        Client admin = Api.admin();
        DataAccessException e = assertThrows(DataAccessException.class, () ->
                labs.insertWithinQuota(Ids.newId(), admin.id(), "no-such-template", 1L, 2L, 5));
        assertTrue(Sql.isForeignKeyViolation(e), e.getMessage());
    }

    @Test
    void deletingATemplateWhileLabsAreCreatedFromItNeverAnswers500() throws Exception {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        String template = Api.createTemplate(admin, Api.demoTemplate(Api.unique("race")));
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(() -> student.req().body(Map.of("templateId", template)).post("/api/v1/labs").then().extract().statusCode());
        }
        calls.add(() -> admin.req().delete("/api/v1/templates/" + template).then().extract().statusCode());
        for (int status : atOnce(calls)) {
            assertTrue(status == 201 || status == 204 || status == 400 || status == 409, "answer " + status);
        }
        List<String> ids = student.req().get("/api/v1/labs").then().extract().path("items.id");
        ids.forEach(id -> student.req().delete("/api/v1/labs/" + id).then().statusCode(202));
    }

    @Test
    void aReplicaThatLostLeadershipCannotWriteAndTheNewLeadersWritesWin() throws Exception {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        String template = Api.createTemplate(admin, Api.demoTemplate(Api.unique("fence")));
        String id = Ids.newId();
        assertTrue(labs.insertWithinQuota(id, student.id(), template, 1L, Long.MAX_VALUE, 5));
        labs.request(id, org.labcontroller.lab.Desired.STOPPED, org.labcontroller.lab.LabState.STOPPING, false, 2L);
        try {
            var lab = labs.find(id).orElseThrow();
            long old = fence.claim();
            long newer = fence.claim(); // another replica took over while the old one was mid-action
            assertFalse(labs.observe(lab, org.labcontroller.lab.LabState.FAILED, "old leader", null, 0, 3L, old));
            assertTrue(labs.observe(lab, org.labcontroller.lab.LabState.STOPPED, null, null, 0, 4L, newer));
            assertEquals("Stopped", student.req().get("/api/v1/labs/" + id).then().extract().path("state"));
        } finally {
            reconciler.retakeLeadershipForTests(); // this app's own loop leads again
        }
        student.req().delete("/api/v1/labs/" + id).then().statusCode(202);
    }

    @Test
    void aGuestPowerOffIsRecordedAsAStopUnlessTheUserAskedForSomethingSinceTheLoopRead() throws Exception {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        String template = Api.createTemplate(admin, Api.demoTemplate(Api.unique("poweroff")));
        String id = Ids.newId();
        assertTrue(labs.insertWithinQuota(id, student.id(), template, 1L, Long.MAX_VALUE, 5));
        try {
            long epoch = fence.claim(); // this test is the loop now
            var read = labs.find(id).orElseThrow();
            labs.request(id, org.labcontroller.lab.Desired.RUNNING, org.labcontroller.lab.LabState.PENDING, false, 2L); // the user's Start
            assertFalse(labs.poweredOff(read, "It was shut down from inside the lab.", 3L, epoch), "the user's request wins");
            var fresh = labs.find(id).orElseThrow();
            assertEquals(org.labcontroller.lab.Desired.RUNNING, fresh.desired());
            assertEquals(org.labcontroller.lab.LabState.PENDING, fresh.state());
            assertTrue(labs.poweredOff(fresh, "It was shut down from inside the lab.", 4L, epoch));
            var stopped = labs.find(id).orElseThrow();
            assertEquals(org.labcontroller.lab.Desired.STOPPED, stopped.desired());
            assertEquals(fresh.desiredVersion() + 1, stopped.desiredVersion(), "bumped, as a request bumps it");
            assertEquals(org.labcontroller.lab.LabState.STOPPED, stopped.state());
            assertEquals("It was shut down from inside the lab.", stopped.stateReason());
        } finally {
            reconciler.retakeLeadershipForTests(); // this app's own loop leads again
        }
        student.req().delete("/api/v1/labs/" + id).then().statusCode(202);
    }

    @Test
    void aResetStaysPendingUntilTheCurrentLeaderRecordsItsGenerationAndNeverOnceTheLabIsBeingDeleted() throws Exception {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        String template = Api.createTemplate(admin, Api.demoTemplate(Api.unique("reset")));
        String id = Ids.newId();
        assertTrue(labs.insertWithinQuota(id, student.id(), template, 1L, Long.MAX_VALUE, 5));
        labs.request(id, org.labcontroller.lab.Desired.STOPPED, org.labcontroller.lab.LabState.STOPPING, false, 2L);
        try {
            long epoch = fence.claim(); // this test is the loop now
            int version = labs.find(id).orElseThrow().desiredVersion();
            assertTrue(resets.request(id, "Resetting.", 3L));
            var shown = labs.find(id).orElseThrow();
            assertEquals(org.labcontroller.lab.LabState.STOPPED, shown.state(), "a stopped lab stays stopped");
            assertEquals("Resetting.", shown.stateReason());
            assertEquals(version + 1, shown.desiredVersion(), "a loop turn that read the lab before cannot overwrite it");
            assertEquals(java.util.Optional.of(1), resets.pending(id));
            assertTrue(resets.request(id, "Resetting.", 4L)); // asked again while the first is carried out
            assertFalse(resets.applied(id, 1, epoch - 1), "a replica that lost leadership writes nothing");
            assertTrue(resets.applied(id, 1, epoch));
            assertEquals(java.util.Optional.of(2), resets.pending(id), "the second reset stays pending");
            assertFalse(resets.applied(id, 1, epoch), "never lowered or repeated");
            assertTrue(resets.applied(id, 2, epoch));
            assertEquals(java.util.Optional.empty(), resets.pending(id));
            labs.request(id, org.labcontroller.lab.Desired.DELETED, org.labcontroller.lab.LabState.DELETING, false, 5L);
            assertFalse(resets.request(id, "Resetting.", 6L), "a lab being deleted is not reset");
            assertEquals(List.of(), resets.ofCourse("no-such-course", null));
        } finally {
            reconciler.retakeLeadershipForTests(); // this app's own loop leads again
        }
    }

    @Test
    void theWarmPoolsReadWhenEachTemplateLastStartedAndWhichCoursesOpenSoon() throws Exception {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        Client instructor = Api.user(admin, "instructor");
        String template = Api.createTemplate(admin, Api.demoTemplate(Api.unique("warm")));
        String other = Api.createTemplate(admin, Api.demoTemplate(Api.unique("warm-b")));
        String first = Ids.newId();
        String second = Ids.newId();
        long epoch = fence.claim(); // this test is the loop now: the app's own writes nothing meanwhile
        try {
            assertTrue(labs.insertWithinQuota(first, student.id(), template, 1_000L, Long.MAX_VALUE, 5));
            assertTrue(labs.insertWithinQuota(second, student.id(), template, 2_000L, Long.MAX_VALUE, 5));
            assertEquals(java.time.Instant.ofEpochMilli(2_000), labs.lastStarts().get(template), "the newest creation");
            assertTrue(labs.booting(labs.find(first).orElseThrow(), 5_000L, epoch));
            assertEquals(java.time.Instant.ofEpochMilli(5_000), labs.lastStarts().get(template), "or a later boot");
            assertEquals(null, labs.lastStarts().get(other), "a template never started has no entry");
        } finally {
            for (String id : List.of(first, second)) {
                labs.request(id, org.labcontroller.lab.Desired.DELETED, org.labcontroller.lab.LabState.DELETING, false, 6_000L);
            }
            reconciler.retakeLeadershipForTests();
        }

        java.time.Instant opens = java.time.Instant.now().plus(java.time.Duration.ofDays(400)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Map<String, Object> body = new java.util.HashMap<>(Courses.body(List.of(template), null));
        body.put("opensAt", opens.toString());
        body.put("closesAt", opens.plus(java.time.Duration.ofHours(2)).toString());
        Courses.create(instructor, body);
        java.time.Duration quarter = java.time.Duration.ofMinutes(15);
        assertTrue(courses.templatesOpening(opens.minus(java.time.Duration.ofHours(1)), opens, opens.minus(quarter)).contains(template),
                "the window opens within the lead time");
        assertFalse(courses.templatesOpening(opens.minus(java.time.Duration.ofHours(1)), opens.minusSeconds(1), opens.minus(quarter))
                .contains(template), "not yet");
        assertFalse(courses.templatesOpening(opens, opens.plus(quarter), opens.plus(java.time.Duration.ofHours(3))).contains(template),
                "the course has closed");
        assertFalse(courses.templatesOpening(opens.minus(java.time.Duration.ofHours(1)), opens, opens).contains(other),
                "a template the course does not offer");
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
        Float startSeconds = student.req().get("/api/v1/labs/" + id).then().body("bootStartedAt", org.hamcrest.Matchers.notNullValue())
                .extract().path("startSeconds");
        assertTrue(startSeconds != null && startSeconds >= 0, "how long the start took: " + startSeconds);
        student.req().delete("/api/v1/labs/" + id).then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                student.req().get("/api/v1/labs/" + id).then().extract().statusCode() == 404);
    }

    /** Runs every call at the same moment (released together by a latch); their results in order. */
    private static List<Integer> atOnce(List<Callable<Integer>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        for (Callable<Integer> call : calls) {
            futures.add(pool.submit(() -> {
                go.await();
                return call.call();
            }));
        }
        go.countDown();
        List<Integer> results = new ArrayList<>();
        for (Future<Integer> f : futures) {
            results.add(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        return results;
    }
}
