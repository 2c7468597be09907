package org.labcontroller.api;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api.Client;

/**
 * A template's network mode (issue 11): the safe default when none is given, one of three names,
 * kept across a replace, and shown to the students who start labs from it.
 */
@QuarkusTest
class TemplateNetworkTest {

    @Test
    void aTemplateWithoutANetworkModeIsIsolated() {
        Client instructor = Api.user(Api.admin(), "instructor");
        String id = Api.createTemplate(instructor, Api.demoTemplate(Api.unique("net-default")));
        instructor.req().get("/api/v1/templates/" + id).then().statusCode(200).body("network", equalTo("isolated"));
    }

    @Test
    void anUnknownNetworkModeIsAProblemNamingTheField() {
        Client admin = Api.admin();
        Client instructor = Api.user(admin, "instructor");
        Map<String, Object> body = new HashMap<>(Api.demoTemplate(Api.unique("net-bad")));
        body.put("network", "bridged");
        instructor.req().body(body).post("/api/v1/templates").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("network"))
                .body("detail", containsString("none, isolated, internet"));
    }

    @Test
    void theModeIsKeptAcrossAReplaceAndStudentsSeeIt() {
        Client admin = Api.admin();
        Client instructor = Api.user(admin, "instructor");
        Map<String, Object> body = new HashMap<>(Api.demoTemplate(Api.unique("net-internet")));
        body.put("network", "none");
        String id = Api.createTemplate(instructor, body);
        body.put("network", "internet");
        instructor.req().body(body).put("/api/v1/templates/" + id).then().statusCode(200).body("network", equalTo("internet"));
        Api.user(admin, "student").req().get("/api/v1/templates/" + id).then().statusCode(200)
                .body("network", equalTo("internet"));
    }
}
