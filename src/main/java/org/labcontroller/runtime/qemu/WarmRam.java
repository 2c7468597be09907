package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The guest RAM of a saved state, kept as a file that every lab restored from it maps instead of
 * receiving a copy: labs of one template share the pages none of them has written, and a restore
 * loads only the device state (under a megabyte) instead of the whole memory.
 *
 * <p>The warm-up machine's RAM is the file itself ({@code memory-backend-file}, {@code share=on}),
 * and its save runs with QEMU's {@code x-ignore-shared} migration capability, so the stream holds
 * no RAM: the RAM is already in the file when the migration completes. A restored lab maps the same
 * file {@code share=off}, a private copy-on-write mapping: its guest reads the saved pages and its
 * writes go to pages of its own, never to the file. QEMU accepts the two sides differing in
 * {@code share} (it is no part of the migration stream); the backend's id and size must match, and
 * {@link QemuCommand} builds both from the same values.
 *
 * <p>The file must never change once a lab maps it: a lab reads any page it has not written from
 * the file, so a change would reach every running lab of the template. Hence the file is written
 * only by the warm-up machine, in the entry's temporary directory, before the manifest, and that
 * machine is gone before the entry is committed ({@link WarmUp}); nothing rewrites it in place;
 * the manifest records its size and SHA-256; a restore is refused when the size differs (QEMU 7.2
 * refuses a file of another size itself, but grows an empty one to the machine's size with
 * {@code ftruncate}, as root, before its user switch). Removing an entry (a template change,
 * eviction) unlinks the file, which leaves the running labs' mappings intact: their pages stay
 * until the last of them exits.
 *
 * <p>QEMU 7.2 opens the file read-write even for a private mapping, as root before it switches to
 * its user, so the file's mode cannot make it read-only for QEMU: the guest writes only to its
 * private copies, but a guest that escaped into its QEMU could write the file through that
 * descriptor and reach the pages the template's other labs have not written. QEMU 8.2 and later
 * open it read-only for a writable private mapping ({@code readonly=on,rom=off}), which restores
 * use there.
 *
 * <p>Restored labs get no virtio-balloon: QEMU 7.2 discards a reported free page of a file-backed
 * RAM block by punching a hole in the file ({@code fallocate}), even for a private mapping, which
 * would zero that page for every other lab of the template (measured: docs/architecture.md).
 */
final class WarmRam {
    /** The RAM file in a warm-state entry. */
    static final String FILE = "ram.bin";
    /** The memory backend's id, the same on both sides of a migration. */
    private static final String ID = "ram";

    private WarmRam() {
    }

    /**
     * How a machine's RAM is the file {@code file}: shared and written ({@code save}, the warm-up
     * machine) or mapped privately and restored into; {@code readOnlyOpen}: a restore's QEMU opens
     * the file read-only ({@code readonly=on,rom=off}, QEMU 8.2 and later).
     */
    record Mapping(Path file, boolean save, boolean readOnlyOpen) {
        /** The QEMU options for a machine of {@code memoryMb} MiB (the same value as its {@code -m}). */
        List<String> args(int memoryMb) {
            return List.of("-object", "memory-backend-file,id=" + ID + ",size=" + memoryMb + "M,mem-path="
                            + QemuCommand.opt(file) + ",share=" + (save ? "on" : "off")
                            + (readOnlyOpen ? ",readonly=on,rom=off" : ""),
                    "-machine", "memory-backend=" + ID);
        }
    }

    /** The warm-up machine's RAM: the file, shared, written by the guest. */
    static Mapping saving(Path file) {
        return new Mapping(file, true, false);
    }

    /** A restore's RAM: the file mapped privately; opened read-only where {@code version} can. */
    static Mapping restoring(Path file, QemuVersion version) {
        return new Mapping(file, false, version.atLeast(8, 2));
    }

    /** Turns on {@code x-ignore-shared} (a save: RAM stays out of the stream). */
    static void ignoreShared(QmpClient session) throws IOException {
        session.execute("migrate-set-capabilities", Map.of("capabilities",
                List.of(Map.of("capability", "x-ignore-shared", "state", true))));
    }

    /**
     * Starts the incoming load of a restore unless it has started: QEMU 7.2 has no option for a
     * migration capability, so the machine waits ({@code -incoming defer}) until the capability is on
     * and then reads the state from its standard input.
     *
     * <p>NOTE: called by the restore that launched the machine and by the observer for a machine it
     * finds waiting (a controller died between the launch and the load); both may reach one machine.
     * The check and the start run in one QMP conversation (QEMU serves one client at a time, and
     * {@link QmpSessions} serialises this controller's), so the second caller sees the load started
     * and does nothing.
     */
    static void incoming(QmpClient session) throws IOException {
        if (!session.execute("query-migrate").path("status").asText("none").equals("none")) {
            return;
        }
        ignoreShared(session);
        session.execute("migrate-incoming", Map.of("uri", "fd:0"));
    }
}
