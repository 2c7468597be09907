package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A test's view of a lab's serial console: everything the guest printed since the last {@link
 * #clear()}, and a way to type. The busybox shell of the demo image prints {@code lab:~# } followed
 * by a cursor-position query ({@code ESC[6n}), so prompts are searched anywhere in the text.
 *
 * <p>NOTE: a virtual thread owns reads from the channel and appends to {@code seen} under its lock;
 * the test thread writes to the channel and reads {@code seen} under the same lock.
 */
final class ConsoleSession implements AutoCloseable {
    static final String PROMPT = "lab:~# ";
    private final ByteChannel channel;
    private final StringBuilder seen = new StringBuilder();
    private final Thread reader;

    ConsoleSession(ByteChannel channel) {
        this.channel = channel;
        this.reader = Thread.ofVirtual().name("console-reader").start(this::pump);
    }

    private void pump() {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try {
            while (channel.read(buf) >= 0) {
                buf.flip();
                synchronized (seen) {
                    seen.append(StandardCharsets.ISO_8859_1.decode(buf));
                }
                buf.clear();
            }
        } catch (IOException closed) {
            // the test closed the session or QEMU went away
        }
    }

    String text() {
        synchronized (seen) {
            return seen.toString();
        }
    }

    void clear() {
        synchronized (seen) {
            seen.setLength(0);
        }
    }

    void type(String line) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((line + "\r").getBytes(StandardCharsets.ISO_8859_1));
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    /** Presses Enter until the shell prompt shows (the guest may still be booting). */
    void awaitPrompt(Duration timeout) {
        await("shell prompt on the serial console").atMost(timeout).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    type("");
                    return text().contains(PROMPT);
                });
    }

    /** Types {@code command} and waits for a whole output line equal to {@code expected}. */
    void run(String command, String expected) throws IOException {
        type(command);
        Pattern line = Pattern.compile("(^|\n)" + Pattern.quote(expected) + "\r?\n");
        try {
            await("'" + expected + "' printed by: " + command).atMost(Duration.ofSeconds(20))
                    .until(() -> line.matcher(text()).find());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nconsole ends with:\n" + tail(), e);
        }
    }

    /**
     * Types {@code command}, which must print {@code <tag>-<word>-end} on a line of its own, and
     * returns the word (may be empty) once it shows, waiting at most {@code timeout}.
     */
    String capture(String command, String tag, Duration timeout) throws IOException {
        type(command);
        Pattern line = Pattern.compile("(^|\n)" + Pattern.quote(tag) + "-([A-Za-z0-9]*)-end\r?\n");
        String[] word = new String[1];
        try {
            await("'" + tag + "-…-end' printed by: " + command).atMost(timeout).until(() -> {
                var m = line.matcher(text());
                if (m.find()) {
                    word[0] = m.group(2);
                    return true;
                }
                return false;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nconsole ends with:\n" + tail(), e);
        }
        return word[0];
    }

    private String tail() {
        String all = text();
        return all.substring(Math.max(0, all.length() - 1500));
    }

    @Override
    public void close() throws IOException {
        channel.close();
        reader.interrupt();
    }
}
