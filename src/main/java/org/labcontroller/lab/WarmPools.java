package org.labcontroller.lab;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Tells the runtime which warm pools to keep ({@link LabRuntime#keepWarm}): one per template whose
 * {@code warmPool} is above 0 and that was used (a lab started, or the template changed) within
 * {@code lab.warm-pool.idle-after}. Run by the leader at each resync and at once when a template
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
                runtime.keepWarm(targets(templates.warm(), labs.all(), clock.instant(), config.idleAfter()));
            } catch (RuntimeFailure | RuntimeException e) {
                LOG.warnf("Keeping the warm pools failed; the next resync tries again: %s", e.getMessage());
            }
        });
    }

    void onTemplateChange(@Observes TemplateChanged change) {
        refresh();
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.shutdownNow();
    }

    /**
     * The pools wanted at {@code now}: each template with a pool, unless neither a lab of it started
     * nor the template changed within {@code idleAfter}.
     */
    static List<WarmTarget> targets(List<Template> warm, List<Lab> all, Instant now, Duration idleAfter) {
        Map<String, Instant> lastStart = new HashMap<>();
        for (Lab lab : all) {
            Instant started = lab.bootStartedAt() != null && lab.bootStartedAt().isAfter(lab.createdAt())
                    ? lab.bootStartedAt() : lab.createdAt();
            lastStart.merge(lab.templateId(), started, (a, b) -> a.isAfter(b) ? a : b);
        }
        List<WarmTarget> targets = new ArrayList<>();
        for (Template t : warm) {
            Instant used = lastStart.getOrDefault(t.id(), t.updatedAt());
            used = used.isAfter(t.updatedAt()) ? used : t.updatedAt();
            if (t.warmPool() > 0 && now.isBefore(used.plus(idleAfter))) {
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
