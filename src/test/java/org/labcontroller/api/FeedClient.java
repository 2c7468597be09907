package org.labcontroller.api;

import io.restassured.RestAssured;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One open live feed ({@code GET /api/v1/labs/events}) read on a virtual thread, so a test can
 * wait for text in it, for its end, or read the status of a refused open.
 */
public final class FeedClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final StringBuffer text = new StringBuffer();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private volatile InputStream body;

    private FeedClient() {
    }

    /** Opens the feed with a session cookie. */
    public static FeedClient withCookie(String cookie) {
        return open("Cookie", "lab_session=" + cookie);
    }

    /** Opens the feed with a bearer token. */
    public static FeedClient withToken(String token) {
        return open("Authorization", "Bearer " + token);
    }

    private static FeedClient open(String header, String value) {
        FeedClient feed = new FeedClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/api/v1/labs/events"))
                .header(header, value).header("Accept", "text/event-stream").build();
        Thread.ofVirtual().start(() -> feed.read(request));
        return feed;
    }

    private void read(HttpRequest request) {
        try {
            HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            body = response.body();
            status.complete(response.statusCode());
            try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    text.append(line).append('\n');
                }
            }
        } catch (Exception e) {
            status.complete(-1);
            text.append("error: ").append(e).append('\n');
        } finally {
            ended.countDown();
        }
    }

    /** The HTTP status of the answer, once its headers arrived. */
    public int status() throws Exception {
        return status.get(30, TimeUnit.SECONDS);
    }

    public String text() {
        return text.toString();
    }

    /** The data of the last event received, or "" before the first. */
    public String lastData() {
        String all = text();
        int at = all.lastIndexOf("data:");
        return at < 0 ? "" : all.substring(at);
    }

    /** Whether the server ended the stream within {@code wait}. */
    public boolean awaitEnd(Duration wait) throws InterruptedException {
        return ended.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isEnded() {
        return ended.getCount() == 0;
    }

    @Override
    public void close() throws Exception {
        InputStream b = body;
        if (b != null) {
            b.close();
        }
    }
}
