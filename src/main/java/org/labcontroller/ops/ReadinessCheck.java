package org.labcontroller.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.lab.Reconciler;
import org.labcontroller.storage.Database;

/** Readiness: the controller takes traffic only while its database and runtime both answer. */
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
        boolean backend = runtime.ready() && reconciler.runtimeReachable();
        return HealthCheckResponse.named("lab-controller")
                .status(database && backend)
                .withData("database", db.kind().name().toLowerCase() + (database ? " up" : " down"))
                .withData("runtime", runtime.name() + (backend ? " up" : " down"))
                .build();
    }
}
