package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * An incremental search of one boot's serial log for its readiness pattern: each call reads only
 * what was appended since the last (at most {@link #MAX_READ} bytes), and keeps the last {@link
 * #TAIL} characters so a prompt split across two reads is still found. Bytes are read as
 * ISO-8859-1, one character each, so a read never splits a character. A log that shrank (truncated
 * by a reset or by the size bound) is read again from its start.
 *
 * <p>NOTE: not thread-safe; its owner ({@link ConsoleReadiness}) calls it under the lab's watch.
 */
final class LogScan {
    static final int TAIL = 4096;
    static final int MAX_READ = 256 * 1024;
    private String bootId;
    private Pattern pattern;
    private long offset;
    private String tail = "";

    /** The log was emptied: what it holds next is new output. */
    void truncated() {
        offset = 0;
    }

    /** Whether the pattern of {@code boot} appears in its log; false while there is no log yet. */
    boolean found(Path log, BootFiles.Boot boot) throws IOException {
        if (!boot.id().equals(bootId)) {
            bootId = boot.id();
            pattern = Pattern.compile(boot.pattern() == null ? "(?!)" : boot.pattern());
            offset = 0;
            tail = "";
        }
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < offset) {
                offset = 0; // truncated: what is there now is new
            }
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(MAX_READ, size - offset));
            while (buf.hasRemaining()) {
                int n = channel.read(buf, offset + buf.position());
                if (n <= 0) {
                    break;
                }
            }
            buf.flip();
            offset += buf.remaining();
            String text = tail + StandardCharsets.ISO_8859_1.decode(buf);
            if (pattern.matcher(text).find()) {
                return true;
            }
            tail = text.length() > TAIL ? text.substring(text.length() - TAIL) : text;
            return false;
        } catch (NoSuchFileException notYet) {
            return false;
        }
    }
}
