package org.labcontroller.runtime.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.runtime.VmSpec;

/**
 * Shared set-up of the QEMU runtime tests: the real demo image (built by scripts/demo-image.sh when
 * absent), a fresh state directory per test, lab specs, and a leak check that no QEMU process of the
 * test is left behind.
 */
final class QemuFixture {
    static final String KERNEL_CMDLINE = "console=tty0 console=ttyS0 quiet";
    private static Path imageDir;

    final String prefix = "qt" + UUID.randomUUID().toString().substring(0, 8);
    final Path stateDir;

    QemuFixture() throws IOException {
        this(Path.of("target", "qemu-tests"));
    }

    QemuFixture(Path parent) throws IOException {
        this.stateDir = Files.createDirectories(parent.toAbsolutePath().resolve(prefix));
    }

    /** The demo image directory; builds the image once per JVM when it is missing. */
    static synchronized Path imageDir() {
        if (imageDir != null) {
            return imageDir;
        }
        String configured = System.getProperty("LAB_DEMO_IMAGE_DIR", System.getenv("LAB_DEMO_IMAGE_DIR"));
        Path dir = Path.of(configured != null ? configured : ".cache/images/demo").toAbsolutePath();
        boolean complete = List.of("vmlinuz", "initrd.img", "disk.img", "VERSION").stream()
                .allMatch(f -> Files.isRegularFile(dir.resolve(f)));
        if (!complete) {
            build(dir);
        }
        imageDir = dir;
        return dir;
    }

    private static void build(Path dir) {
        Path log = Path.of("target", "demo-image.log").toAbsolutePath();
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder("bash", "scripts/demo-image.sh", dir.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                fail("scripts/demo-image.sh " + dir + " failed:\n" + Files.readString(log));
            }
        } catch (IOException e) {
            fail("Cannot run scripts/demo-image.sh: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("Interrupted while building the demo image");
        }
    }

    /** A configuration as application.properties would give it, over this test's directories. */
    record Config(String binary, QemuConfig.Accel accel, int maxBooting, String stateDir, String imageDir,
                  Duration stopTimeout) implements QemuConfig {
        @Override
        public boolean removeVmsAtShutdown() {
            return false;
        }

        @Override
        public String user() {
            return "labvm";
        }

        @Override
        public Warm warm() {
            return new WarmSettings(false, Path.of(stateDir).resolveSibling(Path.of(stateDir).getFileName() + "-warm").toString(),
                    2L << 30);
        }
    }

    /** Warm-start settings; off unless a test turns it on. */
    record WarmSettings(boolean enabled, String dir, long bytes) implements QemuConfig.Warm {
        @Override
        public io.quarkus.runtime.configuration.MemorySize maxSize() {
            return new io.quarkus.runtime.configuration.MemorySize(java.math.BigInteger.valueOf(bytes));
        }
    }

    Config config() {
        return new Config("qemu-system-x86_64", QemuConfig.Accel.TCG, 2, stateDir.toString(),
                imageDir().toString(), Duration.ofSeconds(10));
    }

    QemuRuntime runtime() {
        return new QemuRuntime(config());
    }

    String labId(String name) {
        return prefix + "-" + name;
    }

    static VmImage kernelImage() {
        return new VmImage("vmlinuz", "initrd.img", null, KERNEL_CMDLINE, null);
    }

    static VmImage diskImage() {
        return new VmImage("vmlinuz", "initrd.img", "disk.img", KERNEL_CMDLINE, null);
    }

    VmSpec spec(String name, VmImage image) {
        return spec(name, image, 0);
    }

    /** A lab spec carrying a restart request ({@link VmSpec#restartGeneration()}). */
    VmSpec spec(String name, VmImage image, int restartGeneration) {
        return new VmSpec(labId(name), "student", image, 1, 192, null, true, true, restartGeneration);
    }

    /**
     * Deletes every lab of the runtime, then checks no process of this test still runs. Whatever the
     * runtime failed to delete is killed by pid first, so a failing test never leaks a VM (they are
     * started in their own session and would outlive the test JVM).
     */
    void cleanUp(QemuRuntime runtime) throws RuntimeFailure {
        List<Long> leaked;
        try {
            for (String labId : runtime.observe().keySet()) {
                runtime.delete(labId);
            }
        } finally {
            leaked = processes();
            leaked.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
        assertEquals(List.of(), leaked, "QEMU processes left behind");
        try (var left = Files.list(stateDir)) {
            assertEquals(List.of(), left.toList(), "files left in the state directory");
        } catch (IOException e) {
            fail(e);
        }
        try {
            Files.deleteIfExists(stateDir);
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Pids of live processes whose command line mentions this test's lab ids (like pgrep -f). */
    List<Long> processes() {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(h -> cmdline(h.pid()).contains("lab-" + prefix))
                .map(ProcessHandle::pid).toList();
    }

    static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
