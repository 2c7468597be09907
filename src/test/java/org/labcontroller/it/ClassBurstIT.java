package org.labcontroller.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.labcontroller.access.WsClient;

/**
 * A class on one machine, on real QEMU: 30 students start a lab at the same moment and every lab
 * reaches Running with a shell on its console, none lost or Failed, without a click; then the
 * controller is killed (SIGKILL) in the middle of a second burst and started again: every lab
 * converges, with exactly one QEMU each, and deleting them leaves no process and no file.
 */
class ClassBurstIT {
    private static final int STUDENTS = Integer.getInteger("lab.it.class-size", 30);
    private static final String PASSWORD = "student-password-1";

    private record Student(String name, String cookie) {
    }

    private static RequestSpecification as(Controller c, String cookie) {
        return given().baseUri(c.url("")).contentType(ContentType.JSON).cookie("lab_session", cookie);
    }

    private static String login(Controller c, String user, String password) {
        return given().baseUri(c.url("")).contentType(ContentType.JSON).body(Map.of("username", user, "password", password))
                .post("/api/v1/auth/login").then().statusCode(204).extract().cookie("lab_session");
    }

    @Test
    void aClassOfThirtyStartsTogetherAndSurvivesAControllerCrash() throws Exception {
        Path dataDir = Files.createDirectories(Path.of("target", "it-" + UUID.randomUUID()).toAbsolutePath());
        try (Controller controller = new Controller(dataDir, List.of("-Dlab.auth.bcrypt-cost=4"))) {
            controller.start();
            String admin = login(controller, "admin", Controller.ADMIN_PASSWORD);
            String demo = as(controller, admin).get("/api/v1/templates").then().extract().path("items.find { it.name == 'demo' }.id");
            List<Student> students = new ArrayList<>();
            for (int i = 0; i < STUDENTS; i++) {
                String name = "student" + i;
                as(controller, admin).body(Map.of("username", name, "password", PASSWORD, "role", "student"))
                        .post("/api/v1/users").then().statusCode(201);
                students.add(new Student(name, login(controller, name, PASSWORD)));
            }

            List<String> first = burst(controller, students, demo);
            everyLabRunsWithAShell(controller, admin, students, first);

            first.forEach(id -> as(controller, admin).delete("/api/v1/labs/" + id).then().statusCode(202));
            await().atMost(Duration.ofSeconds(120)).until(() -> labs(controller, admin).isEmpty());

            // The second burst: the controller dies while the labs are being launched.
            List<String> second = burst(controller, students, demo);
            await().atMost(Duration.ofSeconds(60)).until(() -> QemuProcesses.all(dataDir.toString()).size() >= 3);
            controller.kill();
            controller.start();
            String admin2 = login(controller, "admin", Controller.ADMIN_PASSWORD);
            everyLabRunsWithAShell(controller, admin2, students, second);
            for (String id : second) {
                assertEquals(1, QemuProcesses.all(id).size(), "exactly one QEMU for lab " + id);
            }
            // Labs' QEMUs only (their files are under vms/): a template's warm-up machine may be running too.
            assertEquals(STUDENTS, QemuProcesses.all(dataDir.resolve("vms").toString()).size(), "no QEMU without a lab");

            second.forEach(id -> as(controller, admin2).delete("/api/v1/labs/" + id).then().statusCode(202));
            await().atMost(Duration.ofSeconds(120)).until(() -> labs(controller, admin2).isEmpty());
            await().atMost(Duration.ofSeconds(30)).until(() -> QemuProcesses.all(dataDir.resolve("vms").toString()).isEmpty());
            try (Stream<Path> left = Files.list(dataDir.resolve("vms"))) {
                assertEquals(List.of(), left.toList(), "no file left behind");
            }
        }
    }

    /** Every student asks for a lab at the same moment; all 30 are accepted. */
    private static List<String> burst(Controller c, List<Student> students, String template) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(students.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> created = new ArrayList<>();
        for (Student s : students) {
            created.add(pool.submit(() -> {
                go.await();
                return as(c, s.cookie()).body(Map.of("templateId", template)).post("/api/v1/labs")
                        .then().statusCode(201).extract().<String>path("id");
            }));
        }
        go.countDown();
        List<String> ids = new ArrayList<>();
        for (Future<String> f : created) {
            ids.add(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        return ids;
    }

    private static List<Map<String, Object>> labs(Controller c, String admin) {
        return as(c, admin).queryParam("limit", 500).get("/api/v1/labs").then().statusCode(200).extract().path("items");
    }

    /** Waits until every lab is Running, never Failed meanwhile, then types a command into each console. */
    private static void everyLabRunsWithAShell(Controller c, String admin, List<Student> students, List<String> ids) throws Exception {
        Set<String> failed = ConcurrentHashMap.newKeySet();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<Map<String, Object>> all = labs(c, admin);
            all.stream().filter(l -> "Failed".equals(l.get("state"))).forEach(l -> failed.add(l.get("id") + ": " + l.get("stateReason")));
            return all.size() == ids.size() && all.stream().allMatch(l -> "Running".equals(l.get("state")));
        });
        assertEquals(Set.of(), failed, "no lab was ever Failed");
        for (int i = 0; i < ids.size(); i++) {
            URI console = URI.create(c.url("/api/v1/labs/" + ids.get(i) + "/console").replace("http", "ws"));
            WsClient ws = WsClient.connect(console, Map.of("Cookie", "lab_session=" + students.get(i).cookie()), true);
            try {
                int index = i;
                String marker = "ok-" + i;
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    ws.send("echo ok-$((" + index + "))\n");
                    return ws.text().contains(marker);
                });
            } finally {
                ws.close();
            }
        }
    }
}
