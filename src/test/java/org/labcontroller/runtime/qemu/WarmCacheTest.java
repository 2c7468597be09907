package org.labcontroller.runtime.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm-state cache's files without QEMU: atomic entries, damage detection, template replacement, LRU eviction. */
class WarmCacheTest {
    @TempDir
    Path dir;
    final Moving clock = new Moving();

    /** A clock the test moves. */
    static final class Moving extends Clock {
        Instant now = Instant.parse("2026-11-30T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(long seconds) {
            now = now.plusSeconds(seconds);
        }
    }

    private WarmCache cache(long maxBytes) {
        return new WarmCache(dir.resolve("warm"), maxBytes, clock);
    }

    private static final int RAM = 64;

    /** Writes an entry of {@code bytes} state bytes (and a small RAM file) as a warm-up would, and commits it. */
    private WarmCache.Entry save(WarmCache cache, String lineage, String key, int bytes) throws IOException {
        Path tmp = cache.newTemp();
        byte[] state = new byte[bytes];
        Files.write(tmp.resolve(WarmCache.STATE), state);
        Files.write(tmp.resolve(WarmRam.FILE), new byte[RAM]);
        Files.writeString(tmp.resolve(WarmCache.CONSOLE), "lab:~# ");
        return cache.commit(tmp, lineage, key, HexFormat.of().formatHex(WarmKey.sha256().digest(state)));
    }

    private List<String> names(WarmCache cache) throws IOException {
        return cache.list().stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void aCommittedEntryIsFoundWhole() throws Exception {
        WarmCache cache = cache(1 << 20);
        save(cache, "t1", "k1", 1000);
        WarmCache.Entry entry = cache.find("t1", "k1");
        assertNotNull(entry);
        assertEquals(1000, Files.size(entry.state()));
        assertNull(cache.find("t1", "other"), "no entry of another key");
    }

    @Test
    void aSaveThatCrashedBeforeItsRenameIsNeverFoundAndIsClearedAtStart() throws Exception {
        WarmCache cache = cache(1 << 20);
        Path tmp = cache.newTemp();
        Files.write(tmp.resolve(WarmCache.STATE), new byte[100]); // the controller died here
        assertEquals(List.of(), cache.list());
        assertNull(cache.find("t1", "k1"));
        cache.clearLeftovers();
        assertTrue(Files.notExists(tmp));
    }

    @Test
    void aTruncatedStateIsUnusableAndSaysWhy() throws Exception {
        WarmCache cache = cache(1 << 20);
        WarmCache.Entry entry = save(cache, "t1", "k1", 1000);
        Files.write(entry.state(), new byte[10]);
        WarmCache.Unusable e = assertThrows(WarmCache.Unusable.class, () -> cache.find("t1", "k1"));
        assertEquals("state.bin has 10 bytes, its manifest says 1000", e.getMessage());
    }

    @Test
    void aStateWhoseBytesChangedIsUnusableOnItsFirstUseInARun() throws Exception {
        WarmCache.Entry entry = save(cache(1 << 20), "t1", "k1", 1000);
        byte[] flipped = new byte[1000];
        flipped[500] = 1;
        Files.write(entry.state(), flipped);
        WarmCache fresh = cache(1 << 20); // a controller started afterwards verifies each entry once
        WarmCache.Unusable e = assertThrows(WarmCache.Unusable.class, () -> fresh.find("t1", "k1"));
        assertEquals("state.bin does not match its checksum", e.getMessage());
    }

    @Test
    void aTruncatedRamFileIsUnusableAndSaysWhy() throws Exception {
        WarmCache cache = cache(1 << 20);
        WarmCache.Entry entry = save(cache, "t1", "k1", 1000);
        Files.write(entry.ram(), new byte[RAM / 2]);
        WarmCache.Unusable e = assertThrows(WarmCache.Unusable.class, () -> cache.find("t1", "k1"));
        assertEquals("ram.bin has 32 bytes, its manifest says 64", e.getMessage());
    }

    @Test
    void aRamFileWhoseBytesChangedIsUnusableOnItsFirstUseInARun() throws Exception {
        WarmCache.Entry entry = save(cache(1 << 20), "t1", "k1", 1000);
        byte[] flipped = new byte[RAM];
        flipped[7] = 1;
        Files.write(entry.ram(), flipped);
        WarmCache fresh = cache(1 << 20);
        WarmCache.Unusable e = assertThrows(WarmCache.Unusable.class, () -> fresh.find("t1", "k1"));
        assertEquals("ram.bin does not match its checksum", e.getMessage());
    }

    @Test
    void anEntryWithoutItsManifestIsUnusable() throws Exception {
        WarmCache cache = cache(1 << 20);
        WarmCache.Entry entry = save(cache, "t1", "k1", 1000);
        Files.delete(entry.dir().resolve(WarmCache.MANIFEST));
        assertThrows(WarmCache.Unusable.class, () -> cache.find("t1", "k1"));
    }

    @Test
    void aTemplatesNewStateReplacesItsOldOneAndLeavesOtherTemplatesAlone() throws Exception {
        WarmCache cache = cache(1 << 20);
        save(cache, "t1", "old", 100);
        save(cache, "t2", "other", 100);
        save(cache, "t1", "new", 100);
        assertEquals(List.of("t1-new", "t2-other"), names(cache));
    }

    @Test
    void overItsLimitTheLeastRecentlyUsedEntriesGoFirst() throws Exception {
        WarmCache cache = cache(5000); // three entries of about 1.5 kB (state, RAM, console, manifest) fit, four do not
        save(cache, "a", "k", 1000);
        clock.advance(60);
        save(cache, "b", "k", 1000);
        clock.advance(60);
        save(cache, "c", "k", 1000);
        clock.advance(60);
        assertNotNull(cache.find("a", "k")); // a is used again: b is now the least recently used
        clock.advance(60);
        save(cache, "d", "k", 1000);
        assertEquals(List.of("a-k", "c-k", "d-k"), names(cache));
    }

    @Test
    void theEntryJustSavedStaysEvenWhenItAloneExceedsTheLimit() throws Exception {
        WarmCache cache = cache(500);
        save(cache, "a", "k", 1000);
        clock.advance(60);
        save(cache, "b", "k", 1000);
        assertEquals(List.of("b-k"), names(cache));
    }
}
