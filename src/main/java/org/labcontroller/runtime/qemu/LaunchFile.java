package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * A lab's {@code launch.properties}: the pid of its QEMU, the streams that QEMU offers and the
 * restart generation it was last launched or reset for. It exists because this file, not memory,
 * is what makes a running QEMU the lab's, for this controller and for the next one; so a launch
 * counts only once it is written, and the file is only ever replaced whole.
 */
final class LaunchFile {
    private final Path file;
    private final String processName;

    LaunchFile(Path file, String processName) {
        this.file = file;
        this.processName = processName;
    }

    /** Replaces the record with a new launch. */
    void write(long pid, boolean console, boolean vnc, int generation) throws IOException {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("console", Boolean.toString(console));
        p.setProperty("vnc", Boolean.toString(vnc));
        p.setProperty("generation", Integer.toString(generation));
        store(p);
    }

    /** Sets the pid of the recorded launch (a QEMU adopted from its own pid file), keeping the rest. */
    void writePid(long pid) throws IOException {
        update("pid", Long.toString(pid));
    }

    /** Sets the restart generation of the recorded launch, keeping the rest. */
    void writeGeneration(int generation) throws IOException {
        update("generation", Integer.toString(generation));
    }

    private void update(String key, String value) throws IOException {
        Properties p = read();
        if (p == null) {
            throw new IOException("no launch is recorded in " + file);
        }
        p.setProperty(key, value);
        store(p);
    }

    /**
     * NOTE: written to a temporary file and renamed over the old one, so observers, which read
     * without the lab's lock, see the old record or the new one, never half of one. Writers hold
     * the lab's lock, so the one temporary file is never written twice at once.
     */
    private void store(Properties p) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "last launch of " + processName);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The record, or null when the VM was never launched (or the file cannot be read). */
    Properties read() {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            return null;
        }
        return p;
    }

    /** The recorded pid, or -1. */
    long pid() {
        return pid(read());
    }

    /** The pid of a record read before, or -1. */
    static long pid(Properties record) {
        return number(record, "pid", -1);
    }

    boolean offers(String stream) {
        Properties p = read();
        return p != null && Boolean.parseBoolean(p.getProperty(stream));
    }

    /** The recorded restart generation; 0 when none is (a launch from before generations existed). */
    int generation() {
        return (int) number(read(), "generation", 0);
    }

    private static long number(Properties p, String key, long fallback) {
        try {
            return p == null ? fallback : Long.parseLong(p.getProperty(key, Long.toString(fallback)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
