package org.labcontroller.api;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.labcontroller.access.WsClient;
import org.labcontroller.api.Api.Client;

/**
 * Reset to template on real QEMU, proven on the lab's disk: the demo kernel and initramfs mount the
 * template's ext4 disk ({@code demo/disk.img}, through the lab's qcow2 overlay) at {@code /mnt/disk}.
 * A file the student writes there survives a restart (the overlay is kept) and is gone after a reset
 * (the overlay is discarded and the lab boots from the template's disk again).
 */
@QuarkusTest
class LabResetTest {
    @TestHTTPResource("/")
    URI base;

    @Test
    void aResetDiscardsWhatTheStudentWroteOnTheDiskWhichARestartKeeps() throws Exception {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        Map<String, Object> body = new HashMap<>(Api.demoTemplate(Api.unique("disk")));
        body.put("image", Map.of("kernel", "demo/vmlinuz", "initrd", "demo/initrd.img", "disk", "demo/disk.img",
                "cmdline", "console=tty0 console=ttyS0 quiet no_timer_check"));
        body.put("readiness", Map.of("mode", "console", "pattern", "lab:~# ", "timeoutSeconds", 120));
        String template = Api.createTemplate(admin, body);
        String id = student.req().body(Map.of("templateId", template)).post("/api/v1/labs").then().statusCode(201).extract().path("id");
        String marker = "marker-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            awaitState(student, id, "Running");
            String written = console(student, id, "echo " + marker + " > /mnt/disk/marker; sync; cat /mnt/disk/marker; echo done-$((6*7))");
            assertTrue(written.contains(marker), "the student wrote to the lab's disk: " + written);

            student.req().post("/api/v1/labs/" + id + "/restart").then().statusCode(202);
            awaitState(student, id, "Running");
            String afterRestart = console(student, id, "cat /mnt/disk/marker; echo done-$((6*7))");
            assertTrue(afterRestart.contains(marker), "a restart keeps the disk: " + afterRestart);

            student.req().post("/api/v1/labs/" + id + "/reset").then().statusCode(202)
                    .body("id", equalTo(id)).body("state", equalTo("Starting"));
            awaitState(student, id, "Running");
            String afterReset = console(student, id, "cat /mnt/disk/marker; ls /mnt/disk; echo done-$((6*7))");
            assertTrue(afterReset.contains("README"), "the template's disk is mounted again: " + afterReset);
            assertTrue(!afterReset.contains(marker), "a reset discards what the student wrote: " + afterReset);

            List<Map<String, Object>> audit = admin.req().get("/api/v1/audit?labId=" + id).then().extract().path("items");
            assertTrue(audit.stream().anyMatch(e -> "reset".equals(e.get("action")) && student.username().equals(e.get("actor"))),
                    "the reset is audited with who did it: " + audit);
        } finally {
            admin.req().delete("/api/v1/labs/" + id);
        }
    }

    /** Types {@code command} into the lab's console once its shell answers; what it printed by the time "done-42" shows. */
    private String console(Client owner, String id, String command) throws Exception {
        URI uri = URI.create(base.toString().replace("http", "ws") + "api/v1/labs/" + id + "/console");
        WsClient ws = WsClient.connect(uri, Map.of("Cookie", "lab_session=" + owner.cookie()), true);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                ws.send("echo shell-$((6*7))\n");
                return ws.text().contains("shell-42");
            });
            int from = ws.text().length();
            ws.send(command + "\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> ws.text().substring(from).contains("done-42"));
            return ws.text().substring(from);
        } finally {
            ws.close();
        }
    }

    private static void awaitState(Client owner, String id, String state) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> state.equals(owner.req().get("/api/v1/labs/" + id).then().extract().path("state")));
    }
}
