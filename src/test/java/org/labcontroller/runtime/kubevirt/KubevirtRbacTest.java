package org.labcontroller.runtime.kubevirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.StreamKind;

/**
 * The ClusterRole and Role in deploy/base grant what the runtime uses: a whole lab lifecycle is
 * recorded and every request checked, and each rule is shown to be needed.
 */
class KubevirtRbacTest {
    private final RbacRules rbac = RbacRules.fromDeployBase();

    @Test
    void aWholeLabLifecycleAndAWarmPoolOnlyMakeAllowedRequests() throws Exception {
        List<RbacRules.ApiCall> calls;
        try (FakeKubevirt cluster = new FakeKubevirt()) {
            KubevirtRuntime runtime = new KubevirtRuntime(cluster.client(), Labs.config());
            try {
                String lab = Labs.newLabId();
                runtime.start(Labs.spec(lab));
                cluster.runInstance("lab-" + lab, "Running", null);
                org.awaitility.Awaitility.await().ignoreExceptions()
                        .until(() -> runtime.observe().containsKey(lab) && runtime.open(lab, StreamKind.CONSOLE) != null);
                runtime.open(lab, StreamKind.VNC).close();
                runtime.screenshot(lab);
                runtime.restart(Labs.restart(lab, 1));
                runtime.stop(lab);
                runtime.start(Labs.spec(lab, true, false, null));
                runtime.delete(lab);
                // A warm pool: kept, claimed by a start, the claimed VM stopped and deleted, the pool removed.
                String template = java.util.UUID.randomUUID().toString();
                org.labcontroller.runtime.VmSpec shape = Labs.spec(null).withTemplate(template);
                runtime.keepWarm(List.of(new org.labcontroller.runtime.WarmTarget(template, shape, 1)));
                cluster.vms().stream().filter(vm -> vm.getMetadata().getLabels().containsKey(KubevirtObjects.POOL))
                        .forEach(vm -> cluster.run(vm.getMetadata().getName(), null));
                org.awaitility.Awaitility.await().until(() -> runtime.warmReady(shape) == 1);
                String pooledLab = Labs.newLabId();
                runtime.start(Labs.spec(pooledLab).withTemplate(template));
                runtime.stop(pooledLab);
                runtime.delete(pooledLab);
                runtime.keepWarm(List.of());
            } finally {
                runtime.close();
            }
            calls = cluster.calls();
        }
        Labs.assertConformant(calls);
        assertEquals(Set.of(FakeKubevirt.NAMESPACE), calls.stream().map(c -> RbacRules.attributes(c).namespace())
                .collect(Collectors.toSet()), "every request goes to the labs' namespace");
        Set<String> verbs = calls.stream().map(RbacRules::attributes)
                .map(a -> a.resource() + (a.subresource() == null ? "" : "/" + a.subresource()) + " " + a.verb())
                .collect(Collectors.toSet());
        assertEquals(Set.of("virtualmachines get", "virtualmachines list", "virtualmachines watch",
                "virtualmachines create", "virtualmachines patch", "virtualmachines delete",
                "virtualmachineinstances get", "virtualmachineinstances list", "virtualmachineinstances watch",
                "virtualmachines/restart update", "virtualmachineinstances/console get", "virtualmachineinstances/vnc get",
                "virtualmachineinstances/vnc/screenshot get",
                "secrets get", "secrets create", "secrets patch"),
                verbs, "each granted verb is used, and nothing more");
    }

    @Test
    void theKubevirtVerbsHoldInTheLabsNamespaceOnly() {
        assertTrue(rbac.allows(new RbacRules.ApiCall("DELETE", "/apis/kubevirt.io/v1/namespaces/lab-controller-labs/virtualmachines/x")));
        assertTrue(rbac.allows(new RbacRules.ApiCall("PATCH", "/api/v1/namespaces/lab-controller-labs/secrets/lab-x-cloudinit")));
        assertFalse(rbac.allows(new RbacRules.ApiCall("DELETE", "/apis/kubevirt.io/v1/namespaces/lab-controller/virtualmachines/x")),
                "not in the controller's own namespace either");
        assertFalse(rbac.allows(new RbacRules.ApiCall("GET", "/api/v1/namespaces/lab-controller/secrets/x")),
                "the controller cannot read its own namespace's Secrets (its database password)");
        assertFalse(rbac.allows(new RbacRules.ApiCall("PATCH", "/apis/coordination.k8s.io/v1/namespaces/lab-controller-labs/leases/x")),
                "the Lease Role holds in the controller's namespace only");
        assertFalse(rbac.allows(new RbacRules.ApiCall("DELETE", "/apis/kubevirt.io/v1/namespaces/team-a/virtualmachines/x")),
                "no VM of another namespace can be deleted");
        assertFalse(rbac.allows(new RbacRules.ApiCall("GET",
                "/apis/subresources.kubevirt.io/v1/namespaces/team-a/virtualmachineinstances/x/console")), "nor its console opened");
        assertFalse(rbac.allows(new RbacRules.ApiCall("GET", "/api/v1/namespaces/team-a/secrets/x")));
        assertFalse(rbac.allows(new RbacRules.ApiCall("GET",
                "/apis/subresources.kubevirt.io/v1/namespaces/team-a/virtualmachineinstances/x/vnc/screenshot")), "nor its screen seen");
        assertTrue(rbac.allows(new RbacRules.ApiCall("GET",
                "/apis/subresources.kubevirt.io/v1/namespaces/lab-controller-labs/virtualmachineinstances/x/vnc/screenshot")));
    }

    @Test
    void requestsOutsideTheRulesAreRefused() {
        assertFalse(rbac.allows(new RbacRules.ApiCall("DELETE", "/apis/kubevirt.io/v1/namespaces/lab-controller-labs/virtualmachineinstances/x")));
        assertFalse(rbac.allows(new RbacRules.ApiCall("PUT", "/apis/subresources.kubevirt.io/v1/namespaces/lab-controller-labs/virtualmachines/x/start")));
        assertFalse(rbac.allows(new RbacRules.ApiCall("GET", "/api/v1/namespaces/lab-controller-labs/secrets")));
        assertFalse(rbac.allows(new RbacRules.ApiCall("GET", "/apis/coordination.k8s.io/v1/namespaces/other/leases/lab-controller-leader")),
                "the Role only applies in the controller's namespace");
        assertTrue(rbac.allows(new RbacRules.ApiCall("PATCH", "/apis/coordination.k8s.io/v1/namespaces/lab-controller/leases/lab-controller-leader")));
    }

    @Test
    void pathsAndMethodsMapToVerbsLikeTheApiServer() {
        assertEquals(new RbacRules.Attributes("kubevirt.io", "ns", "virtualmachines", null, null, "watch"),
                RbacRules.attributes(new RbacRules.ApiCall("GET", "/apis/kubevirt.io/v1/namespaces/ns/virtualmachines?labelSelector=a&watch=true")));
        assertEquals(new RbacRules.Attributes("", "ns", "pods", "log", "p", "get"),
                RbacRules.attributes(new RbacRules.ApiCall("GET", "/api/v1/namespaces/ns/pods/p/log")));
        assertEquals(new RbacRules.Attributes("rbac.authorization.k8s.io", null, "clusterroles", null, null, "create"),
                RbacRules.attributes(new RbacRules.ApiCall("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles")));
    }
}
