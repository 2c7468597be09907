package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Properties;
import java.util.UUID;
import org.labcontroller.runtime.Readiness;

/**
 * The files by which a lab's readiness outlives the controller: what the current boot waits for
 * ({@code readiness.properties}: mode, pattern and a boot id that every launch and reset renews),
 * QEMU's copy of the guest's serial output ({@code serial.log}, the console chardev's {@code
 * logfile}, opened by QEMU for appending) and the mark that the pattern was seen ({@code ready},
 * holding the id of the boot it was seen in). A mark of another boot means nothing, so a scan that
 * raced a reset never makes the new boot ready.
 *
 * <p>NOTE: {@link #launching} and {@link #reset} run under the lab's lock; scans read without it.
 * Both write the output first and the boot id last, so a scan that reads the new id reads only
 * the new boot's output. Files are replaced whole (a temporary file renamed over the old one).
 */
final class BootFiles {
    /** One boot's readiness: its mode, its pattern (console mode only) and its id. */
    record Boot(String mode, String pattern, String id) {
        boolean judgedBy(String m) {
            return m.equals(mode);
        }
    }

    private BootFiles() {
    }

    static Path log(VmDirectory vm) {
        return vm.dir().resolve("serial.log");
    }

    private static Path properties(VmDirectory vm) {
        return vm.dir().resolve("readiness.properties");
    }

    private static Path mark(VmDirectory vm) {
        return vm.dir().resolve("ready");
    }

    /** A new launch: no earlier output, no mark, a new boot. Before QEMU starts. */
    static void launching(VmDirectory vm, Readiness readiness) throws IOException {
        Files.deleteIfExists(log(vm));
        Files.deleteIfExists(mark(vm));
        write(vm, readiness.mode(), readiness.pattern());
    }

    /**
     * A reset of the running machine, paused meanwhile so it prints nothing: its output so far is
     * dropped (QEMU appends, so it goes on writing at the new end) and a new boot begins.
     */
    static void reset(VmDirectory vm) throws IOException {
        Boot boot = boot(vm);
        if (boot == null) {
            return; // launched before readiness was recorded: ready whenever it runs
        }
        truncate(vm);
        Files.deleteIfExists(mark(vm));
        write(vm, boot.mode(), boot.pattern());
    }

    /** Drops the output logged so far (QEMU keeps appending at the new end). */
    static void truncate(VmDirectory vm) throws IOException {
        if (Files.exists(log(vm))) {
            try (FileChannel log = FileChannel.open(log(vm), StandardOpenOption.WRITE)) {
                log.truncate(0);
            }
        }
    }

    /** The last at most {@code maxBytes} of the log, from the first line start within them; empty without a log. */
    static byte[] tail(VmDirectory vm, int maxBytes) throws IOException {
        if (!Files.exists(log(vm))) {
            return new byte[0];
        }
        try (FileChannel log = FileChannel.open(log(vm), StandardOpenOption.READ)) {
            long size = log.size();
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(maxBytes, size));
            long from = size - buf.capacity();
            while (buf.hasRemaining() && log.read(buf, from + buf.position()) > 0) {
                // read on
            }
            byte[] bytes = Arrays.copyOf(buf.array(), buf.position());
            int start = 0;
            if (from > 0) {
                while (start < bytes.length && bytes[start] != '\n') {
                    start++;
                }
                start = Math.min(bytes.length, start + 1);
            }
            return Arrays.copyOfRange(bytes, start, bytes.length);
        }
    }

    /** The current boot, or null when the launch recorded no readiness (or it cannot be read). */
    static Boot boot(VmDirectory vm) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(properties(vm), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            return null;
        }
        String mode = p.getProperty("mode");
        return mode == null ? null : new Boot(mode, p.getProperty("pattern"), p.getProperty("boot", ""));
    }

    /** Whether {@code boot} was marked ready. */
    static boolean marked(VmDirectory vm, Boot boot) {
        try {
            return boot.id().equals(Files.readString(mark(vm), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return false;
        }
    }

    /** Marks {@code boot} ready. */
    static void mark(VmDirectory vm, Boot boot) throws IOException {
        Path tmp = vm.dir().resolve("ready.tmp");
        Files.writeString(tmp, boot.id(), StandardCharsets.UTF_8);
        Files.move(tmp, mark(vm), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void write(VmDirectory vm, String mode, String pattern) throws IOException {
        Properties p = new Properties();
        p.setProperty("mode", mode);
        if (pattern != null) {
            p.setProperty("pattern", pattern);
        }
        p.setProperty("boot", UUID.randomUUID().toString());
        Path tmp = properties(vm).resolveSibling("readiness.properties.tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "readiness of the current boot of " + vm.processName());
        }
        Files.move(tmp, properties(vm), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
