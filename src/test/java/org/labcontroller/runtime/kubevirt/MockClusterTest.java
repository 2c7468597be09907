package org.labcontroller.runtime.kubevirt;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * A KubeVirt runtime against a fresh mock API server per test; after each test every request the
 * runtime made must have been allowed by the deployment's RBAC and exist in KubeVirt's API.
 */
abstract class MockClusterTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    final FakeKubevirt cluster = new FakeKubevirt();
    final KubevirtRuntime runtime = new KubevirtRuntime(cluster.client(), Labs.config());

    @AfterEach
    void everyRequestWasAllowedAndExists() {
        runtime.close();
        List<RbacRules.ApiCall> calls = cluster.calls();
        cluster.close();
        Labs.assertConformant(calls);
    }
}
