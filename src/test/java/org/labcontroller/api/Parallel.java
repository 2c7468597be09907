package org.labcontroller.api;

import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Runs calls at the same moment, for tests of what holds under concurrent requests: each call
 * waits at one start gate, so they all reach the controller together. Requests go through the
 * JDK's HTTP client, which (unlike RestAssured's static setup) is safe to share across threads.
 */
public final class Parallel {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Parallel() {
    }

    /** Runs {@code n} calls at once; answers their results in call order. */
    public static <T> List<T> run(int n, IntFunction<Callable<T>> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<T> c = call.apply(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return c.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A JSON request to the application under test, with the client's session cookie if it has one. */
    public static HttpResponse<String> send(Api.Client client, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (client != null && client.cookie() != null) {
            b.header("Cookie", "lab_session=" + client.cookie());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
