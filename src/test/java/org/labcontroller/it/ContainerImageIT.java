package org.labcontroller.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image that {@code -Pimage} builds (target/lab-controller-image.tar, an OCI layout):
 * its config says how Kubernetes runs it (non-root user, entrypoint, ports, labels), and the controller
 * starts from the image's own file system as that user (root only: a PID and mount namespace with
 * {@code chroot}, since there is no container engine here) and answers a login.
 */
class ContainerImageIT {
    private static final Path TAR = Path.of("target", "lab-controller-image.tar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path layout;
    private static JsonNode manifest;
    private static JsonNode config;

    @BeforeAll
    static void unpack() throws Exception {
        assertTrue(Files.isRegularFile(TAR), TAR + " is missing: build it with ./mvnw package -Pimage");
        layout = Files.createDirectories(Path.of("target", "image-it-" + UUID.randomUUID()).toAbsolutePath());
        run(List.of("tar", "-xf", TAR.toAbsolutePath().toString(), "-C", layout.toString()));
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        manifest = blob(index.path("manifests").path(0).path("digest").asText());
        config = blob(manifest.path("config").path("digest").asText());
    }

    @org.junit.jupiter.api.AfterAll
    static void removeUnpacked() throws IOException {
        if (layout != null) {
            try (var walk = Files.walk(layout)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void theConfigRunsTheJarAsANonRootUserWithItsPortsAndLabels() {
        JsonNode c = config.path("config");
        assertEquals("10001:10001", c.path("User").asText(), "non-root user and group");
        List<String> entrypoint = strings(c.path("Entrypoint"));
        assertEquals("/opt/java/bin/java", entrypoint.getFirst());
        assertEquals(List.of("-jar", "/deployments/quarkus-run.jar"), entrypoint.subList(entrypoint.size() - 2, entrypoint.size()));
        assertTrue(entrypoint.contains("-XX:MaxRAMPercentage=50"), "heap sized to leave room for direct buffers: " + entrypoint);
        assertTrue(c.path("ExposedPorts").has("8080/tcp") && c.path("ExposedPorts").has("9000/tcp"), "API and management ports");
        assertEquals("lab-controller", c.path("Labels").path("org.opencontainers.image.title").asText());
        assertFalse(c.path("Labels").path("org.opencontainers.image.version").asText().isBlank());
        assertTrue(strings(c.path("Env")).contains("LAB_DATA_DIR=/var/lib/lab-controller"));
        assertEquals("amd64", config.path("architecture").asText());
    }

    @Test
    void theRuntimeHasNoBuildToolsAndTheDependenciesSitInTheirOwnLayer() throws Exception {
        Path root = rootfs();
        assertTrue(Files.isExecutable(root.resolve("opt/java/bin/java")));
        assertFalse(Files.exists(root.resolve("opt/java/bin/javac")), "no compiler in the image");
        assertFalse(Files.exists(root.resolve("app")), "Jib's duplicate of the app's jars is filtered out");
        assertTrue(Files.isRegularFile(root.resolve("deployments/quarkus-run.jar")));
        assertTrue(manifest.path("layers").size() >= 3, "runtime, dependencies and app in separate layers");
    }

    @Test
    void theControllerStartsFromTheImageAsItsUserAndAnswersALogin() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "starting the image's file system needs root (chroot)");
        Path root = rootfs();
        Files.createDirectories(root.resolve("proc"));
        Path data = root.resolve("var/lib/lab-controller");
        // NOTE: what Kubernetes does with fsGroup and the emptyDir volumes of deploy/: the data directory
        // belongs to the image's user, /tmp is writable.
        run(List.of("chown", "10001:10001", data.toString()));
        Files.setPosixFilePermissions(root.resolve("tmp"), Set.of(PosixFilePermission.values()));
        int http = freePort();
        int management = freePort();
        String password = "image-admin-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> env = new ArrayList<>(strings(config.path("config").path("Env")));
        env.addAll(List.of("QUARKUS_HTTP_PORT=" + http, "QUARKUS_MANAGEMENT_PORT=" + management, "LAB_ADMIN_PASSWORD=" + password));
        String command = "mount -t proc proc '" + root.resolve("proc") + "' && c=$(command -v chroot) && exec env -i "
                + String.join(" ", quoted(env)) + " \"$c\" --userspec=" + config.path("config").path("User").asText() + " '" + root + "' "
                + String.join(" ", quoted(strings(config.path("config").path("Entrypoint"))));
        Path log = layout.resolve("controller.log");
        Process controller = new ProcessBuilder("unshare", "--mount", "--pid", "--fork", "--kill-child", "sh", "-c", command)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(java.net.ConnectException.class).until(() -> {
                assertTrue(controller.isAlive(), () -> "the controller exited: " + tail(log));
                return given().baseUri("http://127.0.0.1:" + management).get("/q/health/live").statusCode() == 200;
            });
            given().baseUri("http://127.0.0.1:" + http).contentType(ContentType.JSON)
                    .body(Map.of("username", "admin", "password", password)).post("/api/v1/auth/login").then().statusCode(204);
            given().baseUri("http://127.0.0.1:" + http).get("/").then().statusCode(200).contentType(ContentType.HTML);
            assertEquals(10001, (Integer) Files.getAttribute(data.resolve("lab.db"), "unix:uid"), "the database was written by the image's user");
        } finally {
            // NOTE: unshare's --kill-child does not reach the controller: chroot --userspec changes the
            // credentials, which clears the parent-death signal. Kill the namespace's processes first.
            controller.descendants().forEach(ProcessHandle::destroyForcibly);
            controller.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Path rootfs() throws Exception {
        Path root = layout.resolve("rootfs");
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root);
            for (JsonNode layer : manifest.path("layers")) {
                run(List.of("tar", "--warning=no-unknown-keyword", "-xzf", blobPath(layer.path("digest").asText()).toString(),
                        "-C", root.toString()));
            }
        }
        return root;
    }

    private static JsonNode blob(String digest) throws IOException {
        return JSON.readTree(blobPath(digest).toFile());
    }

    private static Path blobPath(String digest) {
        return layout.resolve("blobs").resolve(digest.replace(':', '/'));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> quoted(List<String> words) {
        return words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), () -> command + " failed: " + out);
    }
}
