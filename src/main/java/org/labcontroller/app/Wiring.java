package org.labcontroller.app;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.runtime.Leadership;
import org.labcontroller.runtime.kubevirt.KubevirtRuntime;
import org.labcontroller.runtime.kubevirt.LeaderElection;
import org.labcontroller.runtime.qemu.QemuRuntime;

/**
 * The composition root: the one place that knows the adapters. It picks the runtime and the
 * leadership from the settings ({@code lab.runtime}) and provides the clock, so that features
 * depend only on the port ({@link LabRuntime}, {@link Leadership}) and {@link Clock}, and the
 * architecture tests can forbid them to see any adapter.
 */
@ApplicationScoped
public class Wiring {

    /** The only source of "now"; tests replace it with a clock they move. */
    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @ApplicationScoped
    LabRuntime runtime(@ConfigProperty(name = "lab.runtime", defaultValue = "qemu") String kind,
            Instance<QemuRuntime> qemu, Instance<KubevirtRuntime> kubevirt) {
        return switch (kind) {
            case "qemu" -> qemu.get();
            case "kubevirt" -> kubevirt.get();
            default -> throw new IllegalArgumentException("lab.runtime must be qemu or kubevirt, not '" + kind + "'");
        };
    }

    /** A Lease election when the KubeVirt runtime runs with election enabled; alone otherwise. */
    @Produces
    @ApplicationScoped
    Leadership leadership(@ConfigProperty(name = "lab.runtime", defaultValue = "qemu") String kind,
            Instance<LeaderElection> election) {
        if ("kubevirt".equals(kind) && election.get().enabled()) {
            return election.get().campaign();
        }
        return new SoleLeader();
    }

    void release(@Disposes Leadership leadership) throws Exception {
        if (leadership instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
