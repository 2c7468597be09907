package org.labcontroller.lab;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.labcontroller.account.Policy;
import org.labcontroller.audit.AuditService;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.template.Template;
import org.labcontroller.template.TemplateService;

/** The application's side of the loop's {@link LoopHooks}: templates, audit and metrics. */
@ApplicationScoped
class LoopSupport implements LoopHooks {
    private static final Logger LOG = Logger.getLogger(LoopSupport.class);

    @Inject
    TemplateService templates;
    @Inject
    Policy policy;
    @Inject
    LabRuntime runtime;
    @Inject
    MeterRegistry registry;
    @Inject
    AuditService audit;

    @Override
    public VmSpec spec(Lab lab) {
        Template t = templates.get(policy.systemCaller(), lab.templateId());
        // The template's warm-pool shape with the lab's identity: the same fields, so a pooled machine fits.
        VmSpec shape = WarmPools.shape(t);
        return new VmSpec(lab.id(), lab.ownerName(), shape.image(), shape.cpus(), shape.memoryMb(), shape.cloudInit(), shape.console(),
                shape.vnc(), lab.restartGeneration(), shape.readiness(), shape.network(), shape.templateId());
    }

    @Override
    public void expired(Lab lab) {
        audit.labAction(policy.systemCaller(), "expire", lab.id(), "its lifetime ended");
    }

    @Override
    public void recovering(Lab lab, String reason) {
        audit.labAction(policy.systemCaller(), "recover", lab.id(), reason);
    }

    @Override
    public void poweredOff(Lab lab, String reason) {
        audit.labAction(policy.systemCaller(), "power-off", lab.id(), reason);
    }

    @Override
    public void unexpected(String labId, RuntimeException error) {
        registry.counter("lab_reconcile_errors", "kind", "unexpected").increment();
        LOG.errorf(error, "Unexpected error while reconciling lab %s", labId);
    }

    @Override
    public void retrying(String labId) {
        registry.counter("lab_reconcile_retries").increment();
    }

    @Override
    public void timed(String op, Call call) throws RuntimeFailure {
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
