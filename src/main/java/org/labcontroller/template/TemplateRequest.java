package org.labcontroller.template;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
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
        Readiness readiness,
        @Schema(enumeration = {"none", "isolated", "internet"}, defaultValue = "isolated",
                description = "What the lab may reach: none (no network card), isolated (no route anywhere),"
                        + " internet (outbound only); never the host, the controller or other labs")
        String network,
        @Schema(minimum = "0", maximum = "50", defaultValue = "0",
                description = "How many started, ready machines the runtime keeps for this template's labs, so a start"
                        + " takes one instead of booting (KubeVirt; the local runtime restores saved memory instead)."
                        + " They count against no one's quota.")
        Integer warmPool) {
}
