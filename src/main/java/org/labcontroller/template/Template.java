package org.labcontroller.template;

import java.time.Instant;
import org.labcontroller.runtime.Readiness;
import org.labcontroller.runtime.VmImage;

/**
 * A lab template: what machine a lab gets and for how long. Instructors own the templates they
 * create; {@code offered} templates are listed to students, who read only their
 * {@link LaunchTemplate} fields. {@code readiness} says when its labs count as running.
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
        Instant createdAt,
        Instant updatedAt,
        Readiness readiness) implements TemplateView {
}
