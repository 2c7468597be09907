package org.labcontroller.course;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api;
import org.labcontroller.api.Api.Client;
import org.labcontroller.api.Courses;

/** Roster uploads: the CSV shapes people really upload, per-row reports, and a bad file changing nothing. */
@QuarkusTest
class RosterUploadTest {
    Client admin;
    Client instructor;
    String courseId;
    String roster;
    String prefix;

    @BeforeEach
    void setUp() {
        admin = Api.admin();
        instructor = Api.user(admin, "instructor");
        courseId = Courses.create(instructor, Courses.body(List.of(), null));
        roster = "/api/v1/courses/" + courseId + "/roster";
        prefix = Api.unique("r").replace("-", "");
    }

    private ValidatableResponse upload(byte[] csv, String query) {
        return instructor.req().contentType("text/csv").body(csv).post(roster + query).then();
    }

    private ValidatableResponse upload(String csv) {
        return upload(csv.getBytes(StandardCharsets.UTF_8), "");
    }

    private int students() {
        return instructor.req().get("/api/v1/courses/" + courseId).then().extract().path("students");
    }

    @Test
    void aBomQuotedCommasUnknownColumnsAndCrlfAreRead() {
        String csv = "\uFEFFEmail,Username,Display Name,Shoe size\r\n"
                + prefix + "a@example.org," + prefix + "a,\"Lovelace, Ada\",38\r\n"
                + "\"" + prefix + "b@example.org\"," + prefix + "b,\"Grace \"\"Amazing\"\" Hopper\",\r\n\r\n";
        upload(csv).statusCode(200).body("applied", equalTo(true)).body("rows", equalTo(2)).body("created", equalTo(2))
                .body("results[0].row", equalTo(2)).body("results[0].outcome", equalTo("CREATED"))
                .body("results[0].setPasswordLink", startsWith("/set-password#token=lsp_"));
        var members = instructor.req().get("/api/v1/courses/" + courseId + "/members?role=student").then().statusCode(200);
        members.body("items.displayName", org.hamcrest.Matchers.hasItems("Lovelace, Ada", "Grace \"Amazing\" Hopper"));
        assertEquals(2, students());
    }

    @Test
    void duplicatesAndAlreadyEnrolledStudentsAreReportedNotAdded() {
        Client known = Api.user(admin, "student");
        String csv = "username,display name,email\n" + known.username() + ",,\n" + prefix + "c,C,\n" + prefix + "c,C again,\n";
        upload(csv).statusCode(200).body("enrolled", equalTo(1)).body("created", equalTo(1)).body("duplicates", equalTo(1))
                .body("results[2].reason", equalTo("same username as row 3"));
        upload(csv).statusCode(200).body("alreadyEnrolled", equalTo(2)).body("created", equalTo(0)).body("enrolled", equalTo(0));
        assertEquals(2, students());
    }

    @Test
    void oneBadRowRefusesTheWholeFileNamingRowAndFieldAndChangesNothing() {
        String csv = "username,display name,email\n" + prefix + "d,D,d@example.org\n" + prefix + "e,E,not-an-email\nX!,bad,\n";
        upload(csv).statusCode(400).contentType("application/problem+json").body("field", equalTo("rows[3].email"))
                .body("detail", containsString("Row 3, email")).body("detail", containsString("2 rows rejected"));
        assertEquals(0, students());
        admin.req().body(Map.of("username", prefix + "d", "password", Api.PASSWORD)).post("/api/v1/auth/login")
                .then().statusCode(401);
        upload(csv.getBytes(StandardCharsets.UTF_8), "?dryRun=true").statusCode(200).body("applied", equalTo(false))
                .body("created", equalTo(1)).body("rejected", equalTo(2)).body("results[0].setPasswordLink", equalTo(null));
        assertEquals(0, students());
        upload(csv.getBytes(StandardCharsets.UTF_8), "?skipInvalid=true").statusCode(200).body("created", equalTo(1))
                .body("rejected", equalTo(2)).body("results[2].field", equalTo("username"));
        assertEquals(1, students());
    }

    @Test
    void aBinaryMalformedOrOversizedFileIsRefusedWholeSayingWhy() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
        upload(png, "").statusCode(400).contentType("application/problem+json").body("detail", containsString("not a CSV text file"));
        upload("name,email\nx,y@z.org\n").statusCode(400).body("detail", containsString("no 'username' column"));
        upload("username\n\"" + prefix + "f\n").statusCode(400).body("detail", containsString("not closed"));
        instructor.req().contentType("application/pdf").body(new byte[] {1}).post(roster).then().statusCode(415);
        byte[] huge = ("username\n" + (prefix + "z\n").repeat(150_000)).getBytes(StandardCharsets.UTF_8);
        assertEquals(413, instructor.postOversized(roster, "text/csv", huge));
        assertEquals(0, students());
    }

    @Test
    void tenThousandRowsAreAppliedInOneGo() {
        StringBuilder csv = new StringBuilder("username,display name,email\n");
        for (int i = 0; i < 10_000; i++) {
            csv.append(prefix).append('n').append(i).append(",Student ").append(i).append(',').append(prefix).append(i)
                    .append("@example.org\n");
        }
        upload(csv.toString()).statusCode(200).body("created", equalTo(10_000)).body("results", hasSize(10_000));
        assertEquals(10_000, students());
    }

    @Test
    void aCreatedStudentSetsTheirPasswordOnceWithTheLinkAndLogsIn() {
        String link = upload("username\n" + prefix + "g\n").statusCode(200).extract().path("results[0].setPasswordLink");
        String token = link.substring(link.indexOf("token=") + 6);
        Api.anonymous().req().body(Map.of("token", token, "password", "short")).post("/api/v1/auth/set-password")
                .then().statusCode(400).body("field", equalTo("password"));
        Api.anonymous().req().body(Map.of("token", token, "password", Api.PASSWORD)).post("/api/v1/auth/set-password")
                .then().statusCode(204);
        Client student = Api.login(prefix + "g", Api.PASSWORD);
        student.req().get("/api/v1/courses").then().body("items.id", org.hamcrest.Matchers.hasItem(courseId));
        Api.anonymous().req().body(Map.of("token", token, "password", "another-password-2")).post("/api/v1/auth/set-password")
                .then().statusCode(400).body("field", equalTo("token"));
    }

    @Test
    void aRosterCanBeAFormUpload() {
        instructor.req().contentType("multipart/form-data")
                .multiPart("file", "roster.csv", ("username\n" + prefix + "h\n").getBytes(StandardCharsets.UTF_8), "text/csv")
                .post(roster).then().statusCode(200).body("created", equalTo(1));
    }
}
