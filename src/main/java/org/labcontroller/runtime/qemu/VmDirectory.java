package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of one lab's VM under the state directory. Everything the runtime knows about a VM lives
 * here, never only in memory, so a restarted controller adopts the VMs it launched before.
 *
 * <p>Files: {@code launch.properties} (the last launch, see {@link LaunchFile}), {@code
 * stop-requested} (marker: the VM is down on purpose), {@code qemu.pid} (written by QEMU, removed by
 * it on a clean exit), {@code stderr.log}, {@code overlay.qcow2}, {@code cloud-init/}, the readiness
 * files ({@link BootFiles}) and the three sockets. Sockets go to a short directory under the temp dir when the lab directory's path would
 * exceed the 107-byte limit of a unix socket address.
 */
final class VmDirectory {
    /** Longest usable unix socket path in bytes (sun_path is 108 bytes with its terminating NUL). */
    static final int MAX_SOCKET_PATH = 107;
    private static final Pattern LAB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final String LONGEST_SOCKET = "serial.sock";

    private final String labId;
    private final Path dir;
    private final Path socketDir;

    private VmDirectory(String labId, Path dir, Path socketDir) {
        this.labId = labId;
        this.dir = dir;
        this.socketDir = socketDir;
    }

    /** The directory of {@code labId}; rejects ids that are not safe as file and QEMU option names. */
    static VmDirectory of(Path stateDir, String labId) {
        if (labId == null || !LAB_ID.matcher(labId).matches()) {
            throw new IllegalArgumentException("Invalid lab id for the QEMU runtime: " + labId);
        }
        Path dir = stateDir.toAbsolutePath().normalize().resolve(labId);
        return new VmDirectory(labId, dir, socketDirFor(dir));
    }

    static Path socketDirFor(Path dir) {
        int length = dir.resolve(LONGEST_SOCKET).toString().getBytes(StandardCharsets.UTF_8).length;
        if (length <= MAX_SOCKET_PATH) {
            return dir;
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "lab-qemu-" + shortHash(dir.toString()));
    }

    /** Lab directories found under the state directory (ignores anything that is not one). */
    static List<VmDirectory> all(Path stateDir) throws IOException {
        if (!Files.exists(stateDir)) {
            return List.of(); // nothing launched yet
        }
        if (!Files.isDirectory(stateDir)) {
            // Not "no VMs": an unreadable state must stop the loop, not make it relaunch every lab.
            throw new IOException(stateDir + " is not a directory");
        }
        try (Stream<Path> entries = Files.list(stateDir)) {
            return entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> LAB_ID.matcher(name).matches())
                    .sorted()
                    .map(name -> of(stateDir, name))
                    .toList();
        }
    }

    String labId() { return labId; }
    Path dir() { return dir; }
    Path socketDir() { return socketDir; }
    Path serialSocket() { return socketDir.resolve("serial.sock"); }
    Path vncSocket() { return socketDir.resolve("vnc.sock"); }
    Path qmpSocket() { return socketDir.resolve("qmp.sock"); }
    Path pidFile() { return dir.resolve("qemu.pid"); }
    Path stderrLog() { return dir.resolve("stderr.log"); }
    Path overlay() { return dir.resolve("overlay.qcow2"); }
    Path seedImage() { return dir.resolve("seed.iso"); }
    /** The name QEMU runs under ({@code -name}); also how a live process is recognised as this lab's. */
    String processName() { return "lab-" + labId; }

    boolean exists() { return Files.isDirectory(dir); }

    /** Creates the lab and socket directories, readable by the controller's user only. */
    void create() throws IOException {
        for (Path d : List.of(dir, socketDir)) {
            Files.createDirectories(d);
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** Removes sockets and pid file left by a QEMU that did not exit cleanly. */
    void clearStale() throws IOException {
        for (Path p : List.of(serialSocket(), vncSocket(), qmpSocket(), pidFile())) {
            Files.deleteIfExists(p);
        }
    }

    /** The record of the last launch ({@code launch.properties}). */
    LaunchFile launchFile() { return new LaunchFile(dir.resolve("launch.properties"), processName()); }

    /** Records a launch (see {@link LaunchFile#write}) and clears a requested stop. */
    void recordLaunch(long pid, boolean console, boolean vnc, int generation) throws IOException {
        launchFile().write(pid, console, vnc, generation);
        cancelStop();
    }

    /** Records that the running VM was reset for restart {@code generation}. */
    void recordGeneration(int generation) throws IOException { launchFile().writeGeneration(generation); }

    /** The last launch, or null when the VM was never launched. */
    Properties launch() { return launchFile().read(); }

    long launchedPid() { return launchFile().pid(); }

    boolean offers(String stream) { return launchFile().offers(stream); }

    /** The restart generation the VM was last launched or reset for; 0 when none is recorded. */
    int restartGeneration() { return launchFile().generation(); }

    void requestStop() throws IOException {
        Files.writeString(dir.resolve("stop-requested"), "");
    }

    boolean stopRequested() { return Files.exists(dir.resolve("stop-requested")); }

    void cancelStop() throws IOException { Files.deleteIfExists(dir.resolve("stop-requested")); }

    /** The last {@code lines} non-blank lines QEMU wrote to stderr, joined with " / ". */
    String stderrTail(int lines) {
        try {
            List<String> all = Files.readAllLines(stderrLog(), StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
            return String.join(" / ", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /** Deletes every file of the lab, including a socket directory outside the lab directory. */
    void deleteAll() throws IOException {
        deleteTree(socketDir);
        deleteTree(dir);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
