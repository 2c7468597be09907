package org.labcontroller.runtime.kubevirt;

import static org.labcontroller.runtime.kubevirt.JsonPatch.add;
import static org.labcontroller.runtime.kubevirt.JsonPatch.pointer;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmSpec;

/**
 * A lab start that takes a ready VM from its template's warm pool instead of creating one. The claim
 * is one JSON patch that first tests the VM's pool label and then relabels it to the lab (its id and
 * owner on the VM and on its instance template, the owner and restart generation annotations): the
 * API server applies a patch to the current object or not at all, so of two starts (two workers, or
 * two replicas) racing for one VM, the second's test fails and it tries the next VM or boots one.
 * The VM keeps its pool name; {@link LabVms} finds it by its lab label. Its running instance and
 * pod keep the pool's labels (no lab id or owner) until the VM restarts: nothing selects them by
 * those, and the labs' NetworkPolicies select by network mode, which is part of the pool's key.
 */
final class PoolClaims {
    private static final Logger LOG = Logger.getLogger(PoolClaims.class);

    private final KubernetesClient client;
    private final String namespace;
    private final VmCache cache;
    private final WarmPool pool;
    private final LabVms names;

    PoolClaims(KubernetesClient client, String namespace, VmCache cache, WarmPool pool, LabVms names) {
        this.client = client;
        this.namespace = namespace;
        this.cache = cache;
        this.pool = pool;
        this.names = names;
    }

    /**
     * Gives the lab a ready pooled VM of its shape, if it has no VM yet and one is ready; false
     * when the caller must create (or bring up) the lab's own VM as before.
     */
    boolean claim(VmSpec spec) throws RuntimeFailure {
        String key = PoolKey.of(spec);
        if (key == null || spec.labId() == null) {
            return false;
        }
        List<GenericKubernetesResource> ready = candidates(key);
        if (ready.isEmpty() || names.claimed(spec.labId()) || ownVmExists(spec.labId())) {
            return false;
        }
        for (GenericKubernetesResource vm : ready) {
            String name = vm.getMetadata().getName();
            if (!pool.take(name)) {
                continue;
            }
            try {
                client.genericKubernetesResources(KubevirtObjects.VM).inNamespace(namespace).withName(name)
                        .patch(PatchContext.of(PatchType.JSON), client.getKubernetesSerialization().asJson(patch(spec, key)));
            } catch (KubernetesClientException e) {
                pool.release(name);
                if (e.getCode() == 404 || e.getCode() == 409 || e.getCode() == 422) {
                    LOG.debugf("The pooled VM %s was taken or removed meanwhile: %s", name, e.getMessage());
                    continue; // another start (or replica) was first: try the next one
                }
                throw ApiFailures.failure("claim the pooled VirtualMachine " + name, e);
            }
            names.claim(spec.labId(), name);
            LOG.infof("Lab %s took the pooled VirtualMachine %s", spec.labId(), name);
            pool.refill();
            return true;
        }
        return false;
    }

    /** How many ready pooled VMs a lab of this spec could take now. */
    int ready(VmSpec spec) throws RuntimeFailure {
        String key = PoolKey.of(spec);
        return key == null ? 0 : candidates(key).size();
    }

    /** The ready, unclaimed VMs of the pool, oldest first. */
    private List<GenericKubernetesResource> candidates(String key) throws RuntimeFailure {
        List<GenericKubernetesResource> ready = new ArrayList<>();
        for (GenericKubernetesResource vm : cache.pooled()) {
            if (key.equals(vm.getMetadata().getLabels().get(KubevirtObjects.POOL))
                    && vm.getMetadata().getDeletionTimestamp() == null && pool.ready(vm)) {
                ready.add(vm);
            }
        }
        ready.sort(Comparator.comparing((GenericKubernetesResource vm) -> String.valueOf(vm.getMetadata().getCreationTimestamp()))
                .thenComparing(vm -> vm.getMetadata().getName()));
        return ready;
    }

    private boolean ownVmExists(String labId) throws RuntimeFailure {
        String name = KubevirtObjects.vmName(labId);
        try {
            return client.genericKubernetesResources(KubevirtObjects.VM).inNamespace(namespace).withName(name).get() != null;
        } catch (KubernetesClientException e) {
            throw ApiFailures.failure("read the VirtualMachine " + name, e);
        }
    }

    /** The claim: test that the VM is still in the pool, then make it the lab's. */
    static List<Map<String, Object>> patch(VmSpec spec, String key) {
        String owner = spec.owner() == null ? "" : spec.owner();
        String labels = "/metadata/labels/";
        String instance = "/spec/template/metadata/labels/";
        String annotations = "/metadata/annotations/";
        return List.of(
                Map.of("op", "test", "path", labels + pointer(KubevirtObjects.POOL), "value", key),
                Map.of("op", "remove", "path", labels + pointer(KubevirtObjects.POOL)),
                add(labels + pointer(KubevirtObjects.LAB_ID), spec.labId()),
                add(labels + pointer(KubevirtObjects.OWNER), KubevirtObjects.labelValue(owner)),
                add(instance + pointer(KubevirtObjects.LAB_ID), spec.labId()),
                add(instance + pointer(KubevirtObjects.OWNER), KubevirtObjects.labelValue(owner)),
                add(annotations + pointer(KubevirtObjects.OWNER_ANNOTATION), owner),
                add(annotations + pointer(VirtualMachineBuilder.RESTART_ANNOTATION), Integer.toString(spec.restartGeneration())));
    }
}
