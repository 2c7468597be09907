package org.labcontroller.lab;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.runtime.Leadership;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.WarmTarget;
import org.labcontroller.template.Template;
import org.labcontroller.template.TemplateChanged;
import org.labcontroller.template.TemplateRepository;

/**
 * Tells the runtime which templates to keep warm ({@link LabRuntime#keepWarm}): each template used
 * (a lab started, or the template changed) within {@code lab.warm-pool.idle-after}, and each
 * template of a course whose window opens within {@code lab.warm-pool.ahead} ({@link WarmDemand}),
 * with the template's {@code warmPool} as the size. KubeVirt keeps that many started machines (none
 * for 0); QEMU prepares the template's saved state, so a changed template or a class about to start
 * is warm before the first click. Run by the leader at each resync and at once when a template
 * changes; the runtime refills after claims itself. A pool is no lab: it has no row and so never
 * counts against a student's quota.
 */
@ApplicationScoped
public class WarmPools {
    private static final Logger LOG = Logger.getLogger(WarmPools.class);

    @Inject
    TemplateRepository templates;
    @Inject
    LabRepository labs;
    @Inject
    LabRuntime runtime;
    @Inject
    Leadership leadership;
    @Inject
    WarmPoolConfig config;
    @Inject
    Clock clock;
    @Inject
    jakarta.enterprise.inject.Instance<WarmDemand> demands;

    // NOTE: one thread makes the runtime calls, so two refreshes never overlap and callers never block.
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "warm-pools");
        t.setDaemon(true);
        return t;
    });

    /** Brings the runtime's pools to what the templates want now, in the background; only the leader does. */
    public void refresh() {
        worker.execute(() -> {
            if (!leadership.isLeader()) {
                return;
            }
            try {
                Instant now = clock.instant();
                runtime.keepWarm(targets(templates.all(), labs.lastStarts(), courseWanted(now), now, config.idleAfter()));
            } catch (RuntimeFailure | RuntimeException e) {
                LOG.warnf("Keeping the warm pools failed; the next resync tries again: %s", e.getMessage());
            }
        });
    }

    /** What the other features ({@link WarmDemand}: courses) want warm at {@code now}. */
    java.util.Set<String> courseWanted(Instant now) {
        java.util.Set<String> wanted = new java.util.HashSet<>();
        demands.forEach(d -> wanted.addAll(d.templatesWanted(now, config.ahead(), config.idleAfter())));
        return wanted;
    }

    void onTemplateChange(@Observes TemplateChanged change) {
        refresh();
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.shutdownNow();
    }

    /**
     * The targets at {@code now}: each template a lab of which started ({@code lastStart}) or that
     * changed within {@code idleAfter}, and each template a course wants ({@code courseWanted}).
     */
    static List<WarmTarget> targets(List<Template> all, Map<String, Instant> lastStart, java.util.Set<String> courseWanted,
                                    Instant now, Duration idleAfter) {
        List<WarmTarget> targets = new ArrayList<>();
        for (Template t : all) {
            Instant used = lastStart.getOrDefault(t.id(), t.updatedAt());
            used = used.isAfter(t.updatedAt()) ? used : t.updatedAt();
            if (now.isBefore(used.plus(idleAfter)) || courseWanted.contains(t.id())) {
                targets.add(new WarmTarget(t.id(), shape(t), t.warmPool()));
            }
        }
        return targets;
    }

    /** The machine every lab of {@code t} gets, without a lab: what the loop's start asks for, less the lab. */
    static VmSpec shape(Template t) {
        return new VmSpec(null, null, t.image(), t.cpus(), t.memoryMb(), t.cloudInit(), t.console(), t.vnc(), 0,
                t.readiness(), t.networkMode(), t.id());
    }
}
