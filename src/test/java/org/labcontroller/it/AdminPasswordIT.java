package org.labcontroller.it;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The packaged controller takes its first admin's password from LAB_ADMIN_PASSWORD, as the README says. */
class AdminPasswordIT {

    @Test
    void aControllerStartedWithLabAdminPasswordAcceptsItForTheAdmin() throws Exception {
        Path dataDir = Files.createDirectories(Path.of("target", "it-" + UUID.randomUUID()).toAbsolutePath());
        String password = "from-lab-admin-password-" + UUID.randomUUID().toString().substring(0, 8);
        try (Controller controller = new Controller(dataDir, List.of(), Map.of("LAB_ADMIN_PASSWORD", password))) {
            controller.start();
            given().baseUri(controller.url("")).contentType(ContentType.JSON)
                    .body(Map.of("username", "admin", "password", password))
                    .post("/api/v1/auth/login").then().statusCode(204);
            given().baseUri(controller.url("")).contentType(ContentType.JSON)
                    .body(Map.of("username", "admin", "password", Controller.ADMIN_PASSWORD))
                    .post("/api/v1/auth/login").then().statusCode(401);
        }
    }
}
