package org.labcontroller.template;

import java.time.Instant;
import org.labcontroller.runtime.Readiness;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.runtime.VmNetwork;

/**
 * A lab template: what machine a lab gets and for how long. Instructors own the templates they
 * create; {@code offered} templates are listed to students, who read only their
 * {@link LaunchTemplate} fields. {@code readiness} says when its labs count as running;
 * {@code network} is one of {@link VmNetwork}'s values: what the lab's machine may reach.
 */
public record Template(
        String id,
        String name,
        String description,
        String ownerId,
        VmImage image,
        int cpus,
        int memoryMb,
        boolean console,
        boolean vnc,
        String cloudInit,
        int maxLifetimeMinutes,
        boolean offered,
        String network,
        Instant createdAt,
        Instant updatedAt,
        Readiness readiness) implements TemplateView {

    /** The network mode the runtime enforces; a value it does not know reads as the safe default. */
    public VmNetwork networkMode() {
        return VmNetwork.parse(network).orElse(VmNetwork.DEFAULT);
    }
}
