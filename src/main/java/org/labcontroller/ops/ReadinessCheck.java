package org.labcontroller.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.lab.Reconciler;
import org.labcontroller.storage.Database;

/**
 * Readiness: what this replica can serve. It needs its database (every request and stream is
 * authorized from it) and a runtime reached once since start. A later runtime outage (an API
 * server blip, a watch reconnecting) keeps the replica in service: it still serves the API and the
 * streams it holds, labs say in their reasons what waits, and {@code lab_runtime_reachable} drops.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {
    @Inject
    Database db;
    @Inject
    LabRuntime runtime;
    @Inject
    Reconciler reconciler;

    @Override
    public HealthCheckResponse call() {
        boolean database = db.healthy();
        boolean synced = runtime.synced();
        boolean reachable = reconciler.runtimeReachable();
        return HealthCheckResponse.named("lab-controller")
                .status(database && synced)
                .withData("database", db.kind().name().toLowerCase() + (database ? " up" : " down"))
                .withData("runtime", runtime.name() + (!synced ? " not reached yet" : reachable ? " up" : " unreachable"))
                .build();
    }
}
