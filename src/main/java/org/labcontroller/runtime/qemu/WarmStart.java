package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.Readiness;
import org.labcontroller.runtime.VmSpec;

/**
 * Decides whether a lab's machine starts warm (restored from its template's saved state) or cold
 * (booted), says why in its start note ({@link StartNote}), and starts the template's warm-up
 * ({@link WarmUp}) in the background when a state is missing or was unusable.
 *
 * <p>A lab goes cold, with the reason in its note, when: warm start is off; the template has
 * cloud-init user data (the guest applies it only while booting, and a restored guest has booted
 * already); the template's readiness is not a console pattern (no moment is known at which its
 * machine is ready to be saved); the lab's disk has been used (a state is only restored onto a
 * fresh disk, never onto one that changed since: the guest's page cache would not match it); or no
 * usable state exists yet. Labs restored from one state still differ where it shows on a network:
 * the key's machine shape has no network card, and each restored lab gets its own, with its MAC
 * and hostname ({@link LabIdentity}), once it runs; neither enters the key.
 *
 * <p>NOTE: one warm-up per key at a time: the first start that finds no state claims the key in
 * {@link #warming} and hands the warm-up to the background executor; concurrent starts of the
 * same template see the claim and boot cold, none waits. The claim is released when the warm-up
 * ends, however it ends, so a failed warm-up is tried again by a later start.
 */
final class WarmStart {
    private static final Logger LOG = Logger.getLogger(WarmStart.class);
    static final String WARM = "Warm start: restored from its template's saved state.";
    static final String PREPARING = "Cold boot: its template's warm state is being prepared; later labs start from it.";

    /** What a machine is built from: everything the key is made of. */
    record Target(VmSpec spec, ImageFiles.Resolved image, String accel, Confinement confinement, String key,
                  String lineage) {
    }

    /** A launch: restore {@code entry} (warm) or boot (cold, entry null); {@code note} says which and why. */
    record Plan(WarmCache.Entry entry, String note, Target target) {
        boolean warm() {
            return entry != null;
        }
    }

    private final boolean enabled;
    private final String binary;
    private final QemuVersion version;
    private final WarmCache cache;
    private final WarmUp warmUp;
    private final Executor background;
    private final Map<String, Boolean> warming = new ConcurrentHashMap<>();
    // NOTE: key -> why its last warm-up failed and until when no other is tried (written by the
    // warm-up thread, read by launches), so a template whose warm-up cannot succeed does not add a
    // boot to every start of its labs.
    private final Map<String, Failure> failed = new ConcurrentHashMap<>();

    private record Failure(String why, Instant until) {
    }

    /** How long a template whose warm-up failed boots cold before another warm-up is tried. */
    static final Duration RETRY_AFTER = Duration.ofMinutes(10);

    WarmStart(boolean enabled, String binary, QemuVersion version, WarmCache cache, WarmUp warmUp, Executor background) {
        this.enabled = enabled;
        this.binary = binary;
        this.version = version;
        this.cache = cache;
        this.warmUp = warmUp;
        this.background = background;
    }

    /** Why labs of {@code spec}'s template never start warm, or null when they may. */
    private static String neverWarm(VmSpec spec) {
        if (spec.cloudInit() != null && !spec.cloudInit().isBlank()) {
            return "Cold boot: its template has cloud-init user data, which the guest applies only while booting.";
        }
        if (!spec.readiness().judgedBy(Readiness.CONSOLE)) {
            return "Cold boot: its template has no console readiness pattern, so no moment is known at which"
                    + " its machine could be saved.";
        }
        return null;
    }

    /**
     * Prepares the template's saved state ahead of use (a course about to open, a changed template):
     * starts its warm-up in the background unless its labs never start warm, a usable state exists,
     * one is being made, or its last warm-up failed recently. Never throws.
     */
    void prepare(VmSpec shape, ImageFiles.Resolved image, String accel, Confinement confinement) {
        if (!enabled || shape.templateId() == null || neverWarm(shape) != null) {
            return;
        }
        try {
            Target target = target(shape, image, accel, confinement);
            Failure failure = failed.get(target.key());
            if (cache.find(target.lineage(), target.key()) == null
                    && (failure == null || !cache.clock().instant().isBefore(failure.until()))) {
                warm(target);
            }
        } catch (IOException | WarmCache.Unusable e) {
            LOG.debugf("Not preparing template %s ahead of use: %s", shape.templateId(), e.getMessage());
        }
    }

    /** How the lab in {@code vm} starts; call before its disk is prepared. Never throws: doubt means cold. */
    Plan plan(VmDirectory vm, VmSpec spec, ImageFiles.Resolved image, String accel, Confinement confinement) {
        if (!enabled || spec.templateId() == null) {
            return new Plan(null, null, null);
        }
        String never = neverWarm(spec);
        if (never != null) {
            return cold(never);
        }
        if (Files.exists(vm.overlay())) {
            return cold("Cold boot: its disk has been used; a saved state is only restored onto a fresh disk.");
        }
        Target target;
        try {
            target = target(spec, image, accel, confinement);
        } catch (IOException e) {
            return cold("Cold boot: its template's files cannot be identified (" + e.getMessage() + ").");
        }
        try {
            WarmCache.Entry entry = cache.find(target.lineage(), target.key());
            if (entry != null) {
                return new Plan(entry, WARM, target);
            }
            Failure failure = failed.get(target.key());
            if (failure != null && cache.clock().instant().isBefore(failure.until())) {
                return cold("Cold boot: its template's last warm-up failed (" + failure.why() + ").");
            }
            warm(target);
            return new Plan(null, PREPARING, target);
        } catch (WarmCache.Unusable e) {
            return unusable(target, cache.root().resolve(target.lineage() + "-" + target.key()), e.getMessage());
        }
    }

    /** A restore that failed: the state is removed, the lab boots cold saying why, a new warm-up starts. */
    Plan unusable(Target target, Path entry, String why) {
        LOG.warnf("Warm state %s is unusable (%s); booting cold", entry.getFileName(), why);
        cache.remove(entry, why);
        warm(target);
        return cold("Cold boot: warm state unusable: " + why);
    }

    private static Plan cold(String note) {
        return new Plan(null, note, null);
    }

    private void warm(Target target) {
        if (warming.putIfAbsent(target.key(), Boolean.TRUE) != null) {
            return; // another start of this template is warming it up already
        }
        try {
            background.execute(() -> {
                try {
                    warmUp.run(target);
                    failed.remove(target.key());
                } catch (Exception | StackOverflowError e) {
                    LOG.warnf("Warm-up of template %s failed: %s", target.spec().templateId(), e.getMessage());
                    failed.put(target.key(), new Failure(e.getMessage(), cache.clock().instant().plus(RETRY_AFTER)));
                } finally {
                    warming.remove(target.key());
                }
            });
        } catch (RuntimeException rejected) {
            warming.remove(target.key());
            LOG.warnf("Warm-up of template %s not started: %s", target.spec().templateId(), rejected.getMessage());
        }
    }

    private Target target(VmSpec spec, ImageFiles.Resolved image, String accel, Confinement confinement) throws IOException {
        // The canonical machine: fixed id and paths, so only what shapes the machine makes the key.
        VmDirectory canonical = VmDirectory.of(Path.of("/warm"), "canonical");
        VmSpec shape = spec.withLabId("canonical");
        List<String> argv = QemuCommand.forLab(binary, accel, shape, image, canonical,
                image.disk() == null ? null : canonical.overlay(), null, confinement,
                WarmRam.restoring(canonical.dir().resolve(WarmRam.FILE), version));
        List<Path> files = new ArrayList<>();
        files.add(WarmKey.binary(binary));
        files.add(image.kernel());
        files.add(image.initrd());
        files.add(image.disk());
        String key = WarmKey.of(argv, version.text(), files);
        return new Target(spec, image, accel, confinement, key, WarmKey.lineage(spec.templateId()));
    }
}
