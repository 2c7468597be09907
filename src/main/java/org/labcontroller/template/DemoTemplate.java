package org.labcontroller.template;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import org.labcontroller.account.AdminBootstrap;
import org.labcontroller.runtime.InvalidImageException;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.runtime.VmNetwork;
import org.labcontroller.storage.Ids;
import org.jboss.logging.Logger;

/**
 * Seeds the {@code demo} template on the first start, so a new installation has a lab to start.
 * Its image comes from the runtime ({@link LabRuntime#demoImage()}: the kernel and initramfs that
 * {@code scripts/demo-image.sh} builds for QEMU, a small public containerDisk for KubeVirt) and
 * goes through the runtime's validation like any template's; so does its readiness
 * ({@link LabRuntime#demoReadiness()}: the busybox prompt on QEMU).
 */
@ApplicationScoped
public class DemoTemplate {
    private static final Logger LOG = Logger.getLogger(DemoTemplate.class);

    @Inject
    TemplateRepository templates;
    @Inject
    java.time.Clock clock;
    @Inject
    LabRuntime runtime;

    void seed(@Observes AdminBootstrap.FirstStart start) {
        VmImage image = runtime.demoImage();
        if (image == null) {
            return;
        }
        try {
            runtime.validate(image);
        } catch (InvalidImageException e) {
            LOG.warnf("No demo template: its image cannot be used by the %s runtime (%s: %s)", runtime.name(), e.field(),
                    e.getMessage());
            return;
        }
        Instant now = clock.instant();
        String description = image.containerDisk() != null
                ? "A tiny Linux (CirrOS) to try the platform: log in on the console as shown there."
                : "A tiny Linux (Debian kernel, busybox shell) that boots in seconds.";
        templates.insert(new Template(Ids.newId(), "demo", description, start.adminId(), image, 1, 256, true, true, null, 240,
                true, VmNetwork.DEFAULT.value(), now, now, runtime.demoReadiness(), 0));
        LOG.info("Created the demo template");
    }
}
