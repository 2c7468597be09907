package org.labcontroller.access;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labcontroller.api.Api;
import org.labcontroller.api.Api.Client;

/** The console and screen websockets against a real QEMU lab: sharing, scrollback, refusals and closes. */
@QuarkusTest
class StreamEndpointTest {
    @TestHTTPResource("/")
    URI base;
    Client admin;
    Client owner;
    String labId;

    @BeforeEach
    void startLab() {
        admin = Api.admin();
        owner = Api.user(admin, "student");
        String demo = owner.req().get("/api/v1/templates").then().extract().path("items.find { it.name == 'demo' }.id");
        labId = owner.req().body(Map.of("templateId", demo)).post("/api/v1/labs").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(90)).until(() ->
                "Running".equals(owner.req().get("/api/v1/labs/" + labId).then().extract().path("state")));
    }

    @AfterEach
    void deleteLab() {
        admin.req().delete("/api/v1/labs/" + labId);
    }

    URI ws(String stream) {
        return URI.create(base.toString().replace("http", "ws") + "api/v1/labs/" + labId + "/" + stream);
    }

    Map<String, String> cookie(Client c) {
        return Map.of("Cookie", "lab_session=" + c.cookie());
    }

    @Test
    void theFirstViewerOfAReadyLabSeesItsPromptWithoutTyping() {
        // The demo lab is Running only once its prompt showed, before anyone watched its console.
        WsClient first = WsClient.connect(ws("console"), cookie(owner), true);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.text().contains("lab:~# "));
        first.close();
    }

    @Test
    void consoleIsSharedBetweenTabsAndAReconnectSeesRecentOutput() {
        WsClient first = WsClient.connect(ws("console"), cookie(owner), true);
        first.send("\r");
        await().atMost(Duration.ofSeconds(60)).until(() -> first.text().contains("# "));
        WsClient second = WsClient.connect(ws("console"), cookie(owner), true);
        String word = "hello-" + UUID.randomUUID().toString().substring(0, 8);
        first.send("echo " + word.substring(0, 6) + "''" + word.substring(6) + "\r");
        await().atMost(Duration.ofSeconds(30)).until(() -> first.text().contains("\n" + word) && second.text().contains("\n" + word));
        first.close();
        second.close();
        WsClient again = WsClient.connect(ws("console"), cookie(owner), true);
        await().atMost(Duration.ofSeconds(10)).until(() -> again.text().contains("\n" + word));
        again.close();
    }

    @Test
    void screenSpeaksRfbAndAnAdminMayWatchToo() {
        WsClient vnc = WsClient.connect(ws("vnc"), cookie(owner), true);
        await().atMost(Duration.ofSeconds(10)).until(() -> vnc.text().startsWith("RFB 003.008"));
        WsClient adminVnc = WsClient.connect(ws("vnc"), cookie(admin), true);
        await().atMost(Duration.ofSeconds(10)).until(() -> adminVnc.text().startsWith("RFB 003.008"));
        vnc.close();
        adminVnc.close();
    }

    @Test
    void upgradesAreRefusedBeforeTheyHappen() {
        Client other = Api.user(admin, "student");
        for (String stream : List.of("console", "vnc")) {
            assertEquals(401, assertThrows(WsClient.Refused.class, () -> WsClient.connect(ws(stream), Map.of(), true)).status);
            assertEquals(404, assertThrows(WsClient.Refused.class, () -> WsClient.connect(ws(stream), cookie(other), true)).status);
            assertEquals(403, assertThrows(WsClient.Refused.class, () -> WsClient.connect(ws(stream),
                    Map.of("Cookie", "lab_session=" + owner.cookie(), "Origin", "https://evil.example"), true)).status);
            assertEquals(401, assertThrows(WsClient.Refused.class, () -> WsClient.connect(ws(stream),
                    Map.of("Authorization", "Bearer lct_revoked"), true)).status);
        }
        String token = owner.req().body(Map.of("name", "ws")).post("/api/v1/me/tokens").then().extract().path("token");
        WsClient withToken = WsClient.connect(ws("vnc"), Map.of("Authorization", "Bearer " + token), true);
        await().atMost(Duration.ofSeconds(10)).until(() -> withToken.text().startsWith("RFB"));
        withToken.close();
    }

    @Test
    void stoppingTheLabClosesItsStreamsWithTheReasonAndTheyAreAudited() {
        WsClient console = WsClient.connect(ws("console"), cookie(owner), true);
        WsClient vnc = WsClient.connect(ws("vnc"), cookie(owner), true);
        await().atMost(Duration.ofSeconds(10)).until(() -> vnc.text().startsWith("RFB"));
        owner.req().post("/api/v1/labs/" + labId + "/stop").then().statusCode(202);
        assertEquals(4100, console.closeCode());
        assertEquals(4100, vnc.closeCode());
        assertTrue(console.closeReason.contains("stop"), console.closeReason);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "Stopped".equals(owner.req().get("/api/v1/labs/" + labId).then().extract().path("state")));
        assertEquals(409, assertThrows(WsClient.Refused.class, () -> WsClient.connect(ws("console"), cookie(owner), true)).status);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> admin.req().get("/api/v1/audit?labId=" + labId)
                .then().statusCode(200).body("items.action", hasItem("vnc-session")).body("items.action", hasItem("console-session"))
                .body("items.action", hasItem("stop")));
        owner.req().get("/api/v1/audit").then().statusCode(403);
    }

    /**
     * Browsers offer permessage-deflate on every websocket. Deflating a screen that VNC already
     * compresses would cost far more CPU than it saves (websockify never does it); the upgrade
     * through the router declines it, and this guards that.
     */
    @Test
    void aBrowserOfferingCompressionGetsTheScreenAsPlainFrames() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            String upgrade = "GET /api/v1/labs/" + labId + "/vnc HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                    + "Cookie: lab_session=" + owner.cookie() + "\r\n\r\n";
            socket.getOutputStream().write(upgrade.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.read());
            }
            assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
            assertTrue(!head.toString().toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-extensions"), head.toString());
            // The first frame: FIN + binary with no compression bit, carrying QEMU's RFB greeting as is.
            assertEquals(0x82, in.read());
            int length = in.read();
            byte[] payload = in.readNBytes(length);
            assertTrue(new String(payload, java.nio.charset.StandardCharsets.US_ASCII).startsWith("RFB 003.008"));
        }
    }

    @Test
    void revokingTheTokenEndsItsStream() {
        var created = owner.req().body(Map.of("name", "revoke-me")).post("/api/v1/me/tokens").then().extract();
        WsClient vnc = WsClient.connect(ws("vnc"), Map.of("Authorization", "Bearer " + created.path("token")), true);
        await().atMost(Duration.ofSeconds(10)).until(() -> vnc.text().startsWith("RFB"));
        owner.req().delete("/api/v1/me/tokens/" + created.path("id")).then().statusCode(204);
        assertEquals(4102, vnc.closeCode());
    }
}
