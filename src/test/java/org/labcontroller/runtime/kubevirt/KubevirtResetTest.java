package org.labcontroller.runtime.kubevirt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus;

/**
 * Reset to template on KubeVirt: the loop deletes the lab's VirtualMachine and creates it again
 * with the same name. KubeVirt's VMs carry a finalizer, so the deleted one lingers (being removed);
 * a start meanwhile must not patch or adopt it but wait (a transient failure the loop retries), and
 * once it is gone the new VM is a fresh object that also owns the cloud-init Secret.
 */
class KubevirtResetTest extends MockClusterTest {
    @Test
    void aStartWaitsUntilTheDeletedVmIsGoneThenCreatesAFreshOne() throws Exception {
        String lab = Labs.newLabId();
        String name = "lab-" + lab;
        VmSpec spec = Labs.spec(lab, true, true, "#cloud-config\nhostname: lab\n");
        runtime.start(spec);
        String oldUid = cluster.vm(name).getMetadata().getUid();
        cluster.addFinalizer(name);

        runtime.delete(lab);
        await().atMost(WAIT).until(() -> {
            VmStatus seen = runtime.observe(lab);
            return seen != null && String.valueOf(seen.reason()).contains("being removed");
        });
        RuntimeFailure early = assertThrows(RuntimeFailure.class, () -> runtime.start(spec));
        assertFalse(early.permanent(), "the loop tries again once the old VM is gone");
        assertTrue(early.getMessage().contains("still being removed"), early.getMessage());
        assertEquals(oldUid, cluster.vm(name).getMetadata().getUid(), "no new VM while the old one is being removed");

        // KubeVirt's controller finishes: it removes its finalizer and the VM is gone.
        cluster.kubevirt().genericKubernetesResources(KubevirtObjects.VM).inNamespace(FakeKubevirt.NAMESPACE).withName(name)
                .patch(PatchContext.of(PatchType.JSON), cluster.kubevirt().getKubernetesSerialization()
                        .asJson(List.of(Map.of("op", "remove", "path", "/metadata/finalizers"))));
        if (cluster.vm(name) != null) {
            cluster.kubevirt().genericKubernetesResources(KubevirtObjects.VM).inNamespace(FakeKubevirt.NAMESPACE).withName(name).delete();
        }
        await().atMost(WAIT).until(() -> runtime.observe(lab) == null);

        runtime.start(spec);
        String newUid = cluster.vm(name).getMetadata().getUid();
        assertNotEquals(oldUid, newUid, "a fresh VirtualMachine");
        assertNull(cluster.vm(name).getMetadata().getDeletionTimestamp());
        var secret = cluster.client().secrets().inNamespace(FakeKubevirt.NAMESPACE).withName(name + "-cloudinit").get();
        assertEquals(List.of(newUid), secret.getMetadata().getOwnerReferences().stream().map(o -> o.getUid()).toList(),
                "the cloud-init Secret goes with the new VM, not with the deleted one");
    }
}
