package org.labcontroller.template;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import org.labcontroller.account.AdminBootstrap;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.storage.Ids;
import org.jboss.logging.Logger;

/**
 * Seeds the {@code demo} template on the first start, so a new installation has a lab to start:
 * the kernel and busybox initramfs that {@code scripts/demo-image.sh} builds into the image
 * directory's {@code demo/} folder.
 */
@ApplicationScoped
public class DemoTemplate {
    private static final Logger LOG = Logger.getLogger(DemoTemplate.class);
    static final VmImage IMAGE = new VmImage("demo/vmlinuz", "demo/initrd.img", null, "console=tty0 console=ttyS0 quiet no_timer_check", null);

    @Inject
    TemplateRepository templates;
    @Inject
    java.time.Clock clock;

    void seed(@Observes AdminBootstrap.FirstStart start) {
        Instant now = clock.instant();
        templates.insert(new Template(Ids.newId(), "demo", "A tiny Linux (Debian kernel, busybox shell) that boots in seconds.",
                start.adminId(), IMAGE, 1, 256, true, true, null, 240, true, now, now));
        LOG.info("Created the demo template");
    }
}
