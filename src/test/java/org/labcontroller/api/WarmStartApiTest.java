package org.labcontroller.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api.Client;

/**
 * Warm start through the API, on a controller of its own with warm start on (the test profile
 * turns it off for the other tests, whose demo labs must boot): the first demo lab boots cold and
 * says its template is being warmed up; once the state is saved, the next lab is restored and says
 * so as its reason while Running.
 */
@QuarkusTest
@TestProfile(WarmStartApiTest.WarmOn.class)
class WarmStartApiTest {
    private static final Duration BOOT = Duration.ofSeconds(120);

    /** A controller of its own with warm start on. */
    public static class WarmOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lab.qemu.warm.enabled", "true");
        }
    }

    @ConfigProperty(name = "lab.qemu.warm.dir")
    String warmDir;

    private String runningReason(Client student, String id) {
        await().atMost(BOOT).until(() -> "Running".equals(student.req().get("/api/v1/labs/" + id).then().statusCode(200)
                .extract().path("state")));
        return student.req().get("/api/v1/labs/" + id).then().extract().path("stateReason");
    }

    private boolean saved() throws IOException {
        Path dir = Path.of(warmDir);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(p -> !p.getFileName().toString().startsWith("."));
        }
    }

    @Test
    void theFirstDemoLabBootsColdAndTheNextIsRestoredWarmEachSayingSo() {
        Client admin = Api.admin();
        Client student = Api.user(admin, "student");
        String demo = student.req().get("/api/v1/templates").then().statusCode(200)
                .extract().path("items.find { it.name == 'demo' }.id");
        String first = student.req().body(Map.of("templateId", demo)).post("/api/v1/labs").then().statusCode(201)
                .extract().path("id");
        assertEquals("Cold boot: its template's warm state is being prepared; later labs start from it.",
                runningReason(student, first));
        await("the demo template's warm state").atMost(BOOT).until(this::saved);

        String second = student.req().body(Map.of("templateId", demo)).post("/api/v1/labs").then().statusCode(201)
                .extract().path("id");
        assertEquals("Warm start: restored from its template's saved state.", runningReason(student, second));
        for (String id : new String[] {first, second}) {
            student.req().delete("/api/v1/labs/" + id).then().statusCode(202);
        }
        await().atMost(Duration.ofSeconds(60)).until(() ->
                student.req().get("/api/v1/labs/" + second).then().extract().statusCode() == 404
                        && student.req().get("/api/v1/labs/" + first).then().extract().statusCode() == 404);
    }
}
