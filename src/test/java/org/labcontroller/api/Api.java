package org.labcontroller.api;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

/** Small fixture builders for API tests: log in, create users and templates. */
public final class Api {
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    public static final String PASSWORD = "student-password-1";

    private Api() {
    }

    /** A logged-in client: the session cookie goes with every request. */
    public record Client(String username, String id, String cookie) {
        public RequestSpecification req() {
            RequestSpecification r = given().contentType(ContentType.JSON);
            return cookie == null ? r : r.cookie("lab_session", cookie);
        }

        /**
         * Posts a body over the HTTP limit announcing it with {@code Expect: 100-continue} and answers the status: the
         * controller refuses it before reading it, so the client reads the answer instead of racing the closed
         * connection with its own write (a "broken pipe" now and then).
         */
        public int postOversized(String path, String contentType, byte[] body) {
            URI uri = URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + path);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).expectContinue(true).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (cookie != null) {
                request.header("Cookie", "lab_session=" + cookie);
            }
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public static Client anonymous() {
        return new Client(null, null, null);
    }

    public static Client login(String username, String password) {
        String cookie = given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password))
                .post("/api/v1/auth/login").then().statusCode(204).extract().cookie("lab_session");
        String id = given().cookie("lab_session", cookie).get("/api/v1/me").then().statusCode(200).extract().path("id");
        return new Client(username, id, cookie);
    }

    public static Client admin() {
        return login("admin", ADMIN_PASSWORD);
    }

    /**
     * {@code path} on the management port (health, metrics), given any URL of it as Quarkus
     * injects one: {@code @TestHTTPResource(value = "/", management = true)}.
     */
    public static String onManagementPort(java.net.URL management, String path) {
        return java.net.URI.create(management.toString()).resolve(path).toString();
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a user with the role and logs them in. */
    public static Client user(Client admin, String role) {
        String name = unique(role);
        admin.req().body(Map.of("username", name, "password", PASSWORD, "role", role))
                .post("/api/v1/users").then().statusCode(201);
        return login(name, PASSWORD);
    }

    /** A template body on the demo image; the image paths are relative to the image directory. */
    public static Map<String, Object> demoTemplate(String name) {
        return Map.of("name", name, "description", "test template",
                "image", Map.of("kernel", "demo/vmlinuz", "initrd", "demo/initrd.img", "cmdline", "console=tty0 console=ttyS0 quiet"),
                "cpus", 1, "memoryMb", 192, "maxLifetimeMinutes", 60);
    }

    public static String createTemplate(Client author, Map<String, Object> body) {
        return author.req().body(body).post("/api/v1/templates").then().statusCode(201).extract().path("id");
    }
}
