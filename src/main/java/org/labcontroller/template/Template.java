package org.labcontroller.template;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.labcontroller.runtime.Readiness;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.runtime.VmNetwork;

/**
 * A lab template: what machine a lab gets and for how long. Instructors own the templates they
 * create; {@code offered} templates are listed to students, who read only their
 * {@link LaunchTemplate} fields. {@code readiness} says when its labs count as running;
 * {@code network} is one of {@link VmNetwork}'s values: what the lab's machine may reach.
 * {@code warmPool} is how many started machines the runtime keeps ready for its labs (0: none), never
 * shown to students.
 * {@code allowedActions} (from {@code Policy.templateActions}) is set only on answers to a caller.
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
        Readiness readiness,
        int warmPool,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> allowedActions) implements TemplateView {

    /** A template as stored, before any caller's actions are added. */
    public Template(String id, String name, String description, String ownerId, VmImage image, int cpus, int memoryMb,
            boolean console, boolean vnc, String cloudInit, int maxLifetimeMinutes, boolean offered, String network,
            Instant createdAt, Instant updatedAt, Readiness readiness, int warmPool) {
        this(id, name, description, ownerId, image, cpus, memoryMb, console, vnc, cloudInit, maxLifetimeMinutes, offered,
                network, createdAt, updatedAt, readiness, warmPool, null);
    }

    /** This template as one caller reads it: with what that caller may do with it. */
    Template withActions(List<String> actions) {
        return new Template(id, name, description, ownerId, image, cpus, memoryMb, console, vnc, cloudInit, maxLifetimeMinutes,
                offered, network, createdAt, updatedAt, readiness, warmPool, actions);
    }

    /** The network mode the runtime enforces; a value it does not know reads as the safe default. */
    public VmNetwork networkMode() {
        return VmNetwork.parse(network).orElse(VmNetwork.DEFAULT);
    }
}
