package org.labcontroller.lab;

import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.LabRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Objects;
import org.jboss.logging.Logger;
import org.labcontroller.account.Policy;
import org.labcontroller.template.Template;
import org.labcontroller.template.TemplateService;

/**
 * Carries out the reconcile loop's decisions: records observed state (only when it changed) and
 * makes the runtime calls, timing each one, and turning a failed call into a readable reason.
 */
@ApplicationScoped
public class LabActions {
    private static final Logger LOG = Logger.getLogger(LabActions.class);

    @Inject
    LabRepository labs;
    @Inject
    TemplateService templates;
    @Inject
    Policy policy;
    @Inject
    LabRuntime runtime;
    @Inject
    MeterRegistry registry;
    @Inject
    org.labcontroller.audit.AuditService audit;

    /** Writes the decided state and reason if they differ from what is stored. */
    void record(Lab lab, Decision d, Instant now) {
        Long startedAt = lab.startedAt() == null ? null : lab.startedAt().toEpochMilli();
        if (d.state() == LabState.RUNNING && lab.state() != LabState.RUNNING) {
            startedAt = now.toEpochMilli();
        }
        if (d.state() != lab.state() || !Objects.equals(d.reason(), lab.stateReason())) {
            if (labs.observe(lab, d.state(), d.reason(), startedAt, lab.restartObserved(), now.toEpochMilli())) {
                LOG.infof("Lab %s: %s -> %s%s", lab.id(), lab.state().label(), d.state().label(),
                        d.reason() == null ? "" : " (" + d.reason() + ")");
            }
        }
    }

    /** Makes the runtime call a decision asks for; runs on a worker thread. */
    void act(Lab lab, Decision d) {
        try {
            switch (d.action()) {
                case START -> timed("start", () -> runtime.start(spec(lab)));
                case RESTART -> timed("restart", () -> runtime.restart(spec(lab)));
                case STOP -> timed("stop", () -> runtime.stop(lab.id()));
                case DELETE -> {
                    timed("delete", () -> runtime.delete(lab.id()));
                    labs.delete(lab.id());
                    LOG.infof("Lab %s deleted", lab.id());
                }
                case EXPIRE -> {
                    labs.expire(lab, System.currentTimeMillis());
                    audit.labAction(policy.systemCaller(), "expire", lab.id(), "its lifetime ended");
                }
                case NONE -> { }
            }
            if (d.action() == Decision.Action.START || d.action() == Decision.Action.RESTART) {
                labs.observe(lab, LabState.STARTING, null, null, lab.restartGeneration(), System.currentTimeMillis());
            }
        } catch (RuntimeFailure e) {
            LOG.warnf("Lab %s: %s failed: %s", lab.id(), d.action(), e.getMessage());
            labs.observe(lab, LabState.FAILED, e.getMessage(), null, lab.restartGeneration(), System.currentTimeMillis());
        }
    }

    void deleteOrphan(String labId) {
        try {
            timed("delete", () -> runtime.delete(labId));
        } catch (RuntimeFailure e) {
            LOG.warnf("Cannot delete orphan VM %s: %s", labId, e.getMessage());
        }
    }

    private VmSpec spec(Lab lab) {
        Template t = templates.get(policy.systemCaller(), lab.templateId());
        return new VmSpec(lab.id(), lab.ownerName(), t.image(), t.cpus(), t.memoryMb(), t.cloudInit(), t.console(), t.vnc());
    }

    private interface Call {
        void run() throws RuntimeFailure;
    }

    private void timed(String op, Call call) throws RuntimeFailure {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "error";
        try {
            call.run();
            outcome = "ok";
        } finally {
            sample.stop(registry.timer("lab_runtime_operation", "op", op, "runtime", runtime.name(), "outcome", outcome));
        }
    }
}
