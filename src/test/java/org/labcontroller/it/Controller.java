package org.labcontroller.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged controller run as its own process, as a user runs it, for tests that restart it. */
public final class Controller implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "admin-password-for-it";

    public final int port;
    /** The management port: health and metrics, never served on {@link #port}. */
    public final int managementPort;
    private final Path dataDir;
    private final List<String> settings;
    private final Map<String, String> env;
    private Process process;

    public Controller(Path dataDir) throws IOException {
        this(dataDir, List.of());
    }

    /** A controller with extra {@code -Dkey=value} settings (another runtime, another database). */
    public Controller(Path dataDir, List<String> settings) throws IOException {
        this(dataDir, settings, Map.of());
    }

    /**
     * A controller with extra settings and environment variables. With {@code LAB_ADMIN_PASSWORD}
     * in {@code env} the first admin's password comes from there instead of {@link #ADMIN_PASSWORD}.
     */
    public Controller(Path dataDir, List<String> settings, Map<String, String> env) throws IOException {
        this.dataDir = dataDir;
        this.settings = settings;
        this.env = env;
        try (ServerSocket s = new ServerSocket(0); ServerSocket m = new ServerSocket(0)) {
            this.port = s.getLocalPort();
            this.managementPort = m.getLocalPort();
        }
    }

    public String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** {@code path} on the management port ({@code /q/health/ready}, {@code /q/metrics}). */
    public String managementUrl(String path) {
        return "http://localhost:" + managementPort + path;
    }

    public void start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java,
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + managementPort,
                "-Dlab.data-dir=" + dataDir,
                "-Dlab.qemu.image-dir=" + Path.of(".cache/images").toAbsolutePath(),
                "-Dlab.auth.cookie-secure=false",
                "-Dlab.labs.resync-interval=1s", "-Dlab.labs.poll-interval=250ms"));
        if (!env.containsKey("LAB_ADMIN_PASSWORD")) {
            cmd.add("-Dlab.auth.admin-password=" + ADMIN_PASSWORD);
        }
        cmd.addAll(settings);
        cmd.addAll(List.of("-jar", Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(cmd);
        builder.environment().remove("LAB_AUTH_ADMIN_PASSWORD");
        builder.environment().putAll(env);
        process = builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("controller.log").toFile()))
                .start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("controller exited; see " + dataDir.resolve("controller.log"));
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(managementUrl("/q/health/ready"))).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Stops the controller process the way a service manager does (SIGTERM), leaving VMs running. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Kills the controller at once (SIGKILL), as a crash or an OOM kill would: nothing of it runs on. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    /** What the controller has logged so far. */
    public String log() throws IOException {
        return java.nio.file.Files.readString(dataDir.resolve("controller.log"));
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
