package org.labcontroller.template;

import org.labcontroller.runtime.Readiness;
import org.labcontroller.runtime.VmImage;

/** The body of a template create or replace; unset optional fields take their documented defaults. */
public record TemplateRequest(
        String name,
        String description,
        VmImage image,
        Integer cpus,
        Integer memoryMb,
        Boolean console,
        Boolean vnc,
        String cloudInit,
        Integer maxLifetimeMinutes,
        Boolean offered,
        Readiness readiness) {
}
