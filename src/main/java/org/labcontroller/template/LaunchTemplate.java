package org.labcontroller.template;

import java.util.List;

/**
 * What a student (or an instructor who does not own it) reads of an offered template: enough to
 * choose it, start a lab from it and know which streams and network the lab has, and what the caller
 * may do with it. Image paths, cloud-init (which may hold passwords) and the owner are left out.
 */
public record LaunchTemplate(
        String id,
        String name,
        String description,
        int cpus,
        int memoryMb,
        boolean console,
        boolean vnc,
        int maxLifetimeMinutes,
        String network,
        List<String> allowedActions) implements TemplateView {

    static LaunchTemplate of(Template t, List<String> allowedActions) {
        return new LaunchTemplate(t.id(), t.name(), t.description(), t.cpus(), t.memoryMb(), t.console(), t.vnc(),
                t.maxLifetimeMinutes(), t.network(), allowedActions);
    }
}
