package org.labcontroller.access;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api;
import org.labcontroller.api.CourseCast;
import org.labcontroller.api.Api.Client;
import org.labcontroller.api.Courses;
import org.labcontroller.api.FeedClient;
import org.labcontroller.lab.LabActivity;

/**
 * Watch and assist against a real QEMU lab of a course: a watcher's keystrokes never reach the
 * guest (proved on the guest) while an assistant's do; a watched screen completes its handshake and
 * gets pictures; who may join; and the student's feed and the audit log say who joined and left.
 */
@QuarkusTest
class WatchTest extends CourseCast {
    @TestHTTPResource("/")
    URI base;
    @Inject
    LabActivity activity;
    String labId;

    @BeforeEach
    void startCourseLab() {
        // The other instructor writes the template but does not teach the course.
        String templateId = Api.createTemplate(otherInstructor, Api.demoTemplate(Api.unique("watch")));
        courseId = Courses.create(admin, Courses.body(List.of(templateId), null));
        Courses.enrol(admin, courseId, instructor, "instructor");
        Courses.enrol(admin, courseId, student, "student");
        labId = Courses.startLab(student, courseId, templateId);
        await().atMost(Duration.ofSeconds(90)).until(() ->
                "Running".equals(student.req().get("/api/v1/labs/" + labId).then().extract().path("state")));
    }

    URI ws(String stream) {
        return URI.create(base.toString().replace("http", "ws") + "api/v1/labs/" + labId + "/" + stream);
    }

    static Map<String, String> cookie(Client c) {
        return Map.of("Cookie", "lab_session=" + c.cookie());
    }

    /** Runs a command in the owner's console and waits for its marker line; answers the console's text. */
    static String run(WsClient console, String command) {
        String marker = "done-" + UUID.randomUUID().toString().substring(0, 8);
        console.send(command + "; echo " + marker.substring(0, 4) + "''" + marker.substring(4) + "\r");
        await().atMost(Duration.ofSeconds(30)).until(() -> console.text().contains("\n" + marker));
        return console.text();
    }

    @Test
    void aWatchersKeystrokesNeverReachTheGuestAndAnAssistantsDo() {
        WsClient owner = WsClient.connect(ws("console"), cookie(student), true);
        owner.send("\r");
        await().atMost(Duration.ofSeconds(60)).until(() -> owner.text().contains("# "));
        WsClient watcher = WsClient.connect(ws("console?mode=watch"), cookie(instructor), true);
        await().atMost(Duration.ofSeconds(10)).until(() -> watcher.text().contains("# "));
        activity.forget(labId);

        watcher.send("touch /tmp/w\r");
        watcher.send("touch /tmp/w2\r");
        await().atMost(Duration.ofSeconds(10)).until(() -> watcher.notices().contains("You are watching"));
        assertEquals(1, watcher.notices().split("You are watching", -1).length - 1, "told once: " + watcher.notices());
        assertTrue(activity.lastInput(labId).isEmpty(), "dropped input is no activity of the student's");
        String after = run(owner, "ls /tmp/w");
        assertTrue(after.contains("No such file"), after);
        assertFalse(owner.text().contains("touch /tmp/w"), "the guest never echoed the watcher's typing");
        assertTrue(activity.lastInput(labId).isPresent(), "the owner's input is");
        watcher.close();

        WsClient assistant = WsClient.connect(ws("console?mode=assist"), cookie(instructor), true);
        assistant.send("touch /tmp/a\r");
        await().atMost(Duration.ofSeconds(30)).until(() -> owner.text().contains("touch /tmp/a"));
        String found = run(owner, "ls /tmp/a && echo fou''nd-it");
        assertTrue(found.contains("\nfound-it"), found);
        assertTrue(assistant.notices().isEmpty(), assistant.notices());
        assistant.close();
        owner.close();
    }

    @Test
    void aWatchedScreenCompletesItsHandshakeAndGetsPicturesButItsInputStopsAtTheController() throws Exception {
        WsClient vnc = WsClient.connect(ws("vnc?mode=watch"), cookie(instructor), true);
        await().atMost(Duration.ofSeconds(10)).until(() -> vnc.text().startsWith("RFB 003.008\n"));
        vnc.send("RFB 003.008\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> vnc.received() >= 14); // the security types
        vnc.send(new byte[] {1}); // None
        await().atMost(Duration.ofSeconds(10)).until(() -> vnc.received() >= 18); // SecurityResult
        vnc.send(new byte[] {0}); // ClientInit, not shared: the controller makes it shared
        await().atMost(Duration.ofSeconds(10)).until(() -> vnc.received() >= 18 + 24);
        long initialised = vnc.received();
        vnc.send(new byte[] {4, 1, 0, 0, 0, 0, 0, 0x61}); // KeyEvent: dropped
        vnc.send(new byte[] {5, 1, 0, 10, 0, 10}); // PointerEvent: dropped
        vnc.send(new byte[] {3, 0, 0, 0, 0, 0, 0, 64, 0, 64}); // FramebufferUpdateRequest: forwarded
        await().atMost(Duration.ofSeconds(10)).until(() -> vnc.received() > initialised + 64 * 64);
        // Something the controller cannot follow ends a watched screen (fails closed), with the reason.
        vnc.send(new byte[] {(byte) 200, 0, 0, 0});
        assertEquals(4400, vnc.closeCodeWithin(10));
        assertTrue(vnc.closeReason.contains("unknown client message type"), vnc.closeReason);
    }

    @Test
    void onlyTheCoursesInstructorsAndAdminsMayJoin() {
        Client elsewhere = Api.user(admin, "instructor");
        Courses.create(elsewhere, Courses.body(List.of(), null));
        for (String stream : List.of("console", "vnc")) {
            for (String mode : List.of("", "?mode=watch", "?mode=assist")) {
                assertEquals(404, refused(stream + mode, otherStudent), "another student");
                assertEquals(404, refused(stream + mode, elsewhere), "an instructor of another course");
                assertEquals(403, refused(stream + mode, otherInstructor), "the template's author, who does not teach the course");
            }
            assertEquals(400, refused(stream + "?mode=spy", instructor));
        }
        for (Client joiner : List.of(instructor, admin, student)) {
            for (String mode : List.of("", "?mode=watch", "?mode=assist")) {
                WsClient c = WsClient.connect(ws("console" + mode), cookie(joiner), true);
                await().atMost(Duration.ofSeconds(10)).until(() -> c.text().contains("# "));
                c.close();
            }
        }
    }

    int refused(String stream, Client c) {
        return assertThrows(WsClient.Refused.class, () -> WsClient.connect(ws(stream), cookie(c), true)).status;
    }

    @Test
    void theStudentsFeedAndTheAuditSayWhoJoinedInWhichModeAndWhenTheyLeft() throws Exception {
        try (FeedClient feed = FeedClient.withCookie(student.cookie())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> feed.text().contains(labId));
            assertFalse(feed.text().contains("event:viewers"), "no one joined yet: " + feed.text());
            WsClient watcher = WsClient.connect(ws("console?mode=watch"), cookie(instructor), true);
            await().atMost(Duration.ofSeconds(10)).until(() -> feed.lastData().contains("\"username\":\"" + instructor.username() + "\""));
            String joined = feed.lastData();
            assertTrue(joined.contains("\"capacity\":\"instructor\"") && joined.contains("\"mode\":\"watch\"")
                    && joined.contains("\"stream\":\"console\"") && joined.contains("\"labId\":\"" + labId + "\""), joined);
            watcher.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> feed.lastData().contains("\"viewers\":[]"));
        }
        try (FeedClient other = FeedClient.withCookie(instructor.cookie())) {
            WsClient own = WsClient.connect(ws("console"), cookie(student), true);
            await().atMost(Duration.ofSeconds(10)).until(() -> other.text().contains(labId));
            own.close();
            assertFalse(other.text().contains("event:viewers"), "the owner's own stream is no one's business");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> admin.req().get("/api/v1/audit?labId=" + labId).then()
                .statusCode(200).body("items.action", hasItem("stream-join")).body("items.action", hasItem("stream-leave"))
                .body("items.detail", hasItem("watch console as instructor")));
    }

    @Test
    void aWatcherRemovedFromTheCourseLosesTheStreamAndTheStudentIsToldTheyLeft() throws Exception {
        WsClient watcher = WsClient.connect(ws("console?mode=watch"), cookie(instructor), true);
        await().atMost(Duration.ofSeconds(10)).until(() -> watcher.text().contains("# "));
        String instructorId = instructor.req().get("/api/v1/me").then().extract().path("id");
        admin.req().delete("/api/v1/courses/" + courseId + "/members/" + instructorId).then().statusCode(204);
        assertEquals(4102, watcher.closeCodeWithin(30));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> admin.req().get("/api/v1/audit?labId=" + labId).then()
                .statusCode(200).body("items.action", hasItem("stream-leave")));
    }
}
