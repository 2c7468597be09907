package org.labcontroller.runtime.kubevirt;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.kubevirt.VirtualMachineBuilder.RunStrategy;

/**
 * The runtime's writes to the cluster: create a lab's VirtualMachine or patch only the fields the
 * controller owns, set its run strategy, restart it once per restart generation, delete it once.
 * Kept apart from {@link KubevirtRuntime}, which reads (informer cache) and streams.
 */
final class VmLifecycle {
    private static final Logger LOG = Logger.getLogger(VmLifecycle.class);

    private final KubernetesClient client;
    private final String namespace;
    private final VirtualMachineBuilder builder;
    private final KubevirtSubresources subresources;
    private final VmCache cache;
    private final CloudInitSecrets secrets;
    private final String installationId;
    private final LabVms names;

    VmLifecycle(KubernetesClient client, String namespace, VirtualMachineBuilder builder, KubevirtSubresources subresources,
            VmCache cache, CloudInitSecrets secrets, String installationId, LabVms names) {
        this.names = names;
        this.client = client;
        this.namespace = namespace;
        this.builder = builder;
        this.subresources = subresources;
        this.cache = cache;
        this.secrets = secrets;
        this.installationId = installationId;
    }

    void stop(String labId) throws RuntimeFailure {
        String name = name(labId);
        String action = "stop the VirtualMachine " + name;
        try {
            GenericKubernetesResource vm = vms().withName(name).get();
            if (vm != null && VirtualMachineBuilder.runStrategy(vm) != RunStrategy.Halted) {
                jsonPatch(name, OwnedFields.runStrategyPatch(RunStrategy.Halted));
                LOG.infof("Stopping lab %s", labId);
            }
        } catch (KubernetesClientException e) {
            throw ApiFailures.failure(action, e);
        }
    }

    void restart(VmSpec spec) throws RuntimeFailure {
        String name = name(spec.labId());
        GenericKubernetesResource live;
        try {
            live = vms().withName(name).get();
        } catch (KubernetesClientException e) {
            throw ApiFailures.failure("read the VirtualMachine " + name, e);
        }
        if (live != null && VirtualMachineBuilder.restartGeneration(live) >= spec.restartGeneration()) {
            return; // this restart happened already (a repeated call must not reboot twice)
        }
        apply(spec, RunStrategy.RerunOnFailure);
        GenericKubernetesResource vmi;
        try {
            vmi = client.genericKubernetesResources(KubevirtObjects.VMI).inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw ApiFailures.failure("read the VirtualMachineInstance " + name, e);
        }
        // Without a running instance apply() has a fresh one started (or says why it waits).
        if (vmi != null && "Running".equals(vmi.get("status", "phase"))) {
            subresources.vmAction(name, "restart");
            LOG.infof("Restarting lab %s", spec.labId());
        }
        try {
            jsonPatch(name, OwnedFields.restartGenerationPatch(spec.restartGeneration()));
        } catch (KubernetesClientException e) {
            throw ApiFailures.failure("record the restart of the VirtualMachine " + name, e);
        }
    }

    void delete(String labId) throws RuntimeFailure {
        String name = name(labId);
        if (beingDeleted(name)) {
            return; // asked already: one DELETE per VM, however often the loop looks
        }
        try {
            // The instance and its pod are owned by the VM and go with it.
            vms().withName(name).delete();
            names.forget(labId);
            LOG.infof("Deleted the VirtualMachine of lab %s", labId);
        } catch (KubernetesClientException e) {
            throw ApiFailures.failure("delete the VirtualMachine " + name, e);
        }
    }

    private boolean beingDeleted(String name) {
        try {
            GenericKubernetesResource cached = cache.vm(name);
            return cached != null && cached.getMetadata().getDeletionTimestamp() != null;
        } catch (RuntimeFailure untrusted) {
            return false; // the cache cannot tell: ask the API, which is idempotent anyway
        }
    }

    /** Creates the lab's VM, or brings its owned fields and run strategy to what is desired. */
    void apply(VmSpec spec, RunStrategy strategy) throws RuntimeFailure {
        GenericKubernetesResource desired = builder.desired(spec, strategy, name(spec.labId()));
        String name = desired.getMetadata().getName();
        Secret cloudInit = spec.cloudInit() == null || spec.cloudInit().isBlank() ? null : secrets.ensure(spec, name);
        try {
            GenericKubernetesResource live = vms().withName(name).get();
            checkOwned(live);
            if (live == null) {
                live = vms().resource(desired).create();
                LOG.infof("Created the VirtualMachine of lab %s", spec.labId());
            } else if (live.getMetadata().getDeletionTimestamp() != null) {
                throw new RuntimeFailure("The lab's previous machine is still being removed; it starts once it is gone.");
            } else {
                checkStartable(name, live);
                if (!OwnedFields.matches(live, desired) || VirtualMachineBuilder.runStrategy(live) != strategy) {
                    jsonPatch(name, OwnedFields.patch(live, desired));
                    LOG.infof("Updated the VirtualMachine of lab %s (run strategy %s)", spec.labId(), strategy);
                }
            }
            if (cloudInit != null) {
                secrets.own(cloudInit, live);
            }
        } catch (KubernetesClientException e) {
            throw ApiFailures.failure("apply the VirtualMachine " + name, e);
        }
    }

    /**
     * Makes sure that setting {@code RerunOnFailure} will start the VM: one whose guest shut itself
     * down is halted first, and a halt KubeVirt has not carried out yet is waited for (a transient
     * failure: the loop tries again after its backoff), since KubeVirt starts a {@code
     * RerunOnFailure} VM only when it has no instance and comes from another strategy.
     */
    private void checkStartable(String name, GenericKubernetesResource live) throws RuntimeFailure {
        RunStrategy current = VirtualMachineBuilder.runStrategy(live);
        if (current != RunStrategy.RerunOnFailure && current != RunStrategy.Halted) {
            return;
        }
        GenericKubernetesResource vmi = client.genericKubernetesResources(KubevirtObjects.VMI).inNamespace(namespace).withName(name).get();
        if (current == RunStrategy.RerunOnFailure && VmStatusAggregator.poweredOff(live, vmi)) {
            jsonPatch(name, OwnedFields.runStrategyPatch(RunStrategy.Halted));
            throw new RuntimeFailure("Its guest had shut itself down; KubeVirt stops what is left of it first.");
        }
        if (current == RunStrategy.Halted && VmStatusAggregator.haltPending(live, vmi)) {
            throw new RuntimeFailure("KubeVirt is still stopping its previous instance.");
        }
    }

    /** Refuses an object another installation owns; one without the label (made before ids) is adopted. */
    private void checkOwned(HasMetadata live) throws RuntimeFailure {
        Map<String, String> labels = live == null ? null : live.getMetadata().getLabels();
        String owner = labels == null ? null : labels.get(KubevirtObjects.INSTALLATION);
        if (owner != null && !owner.equals(installationId)) {
            throw new RuntimeFailure("The " + live.getKind() + " " + live.getMetadata().getName()
                    + " belongs to the installation \"" + owner + "\", not to this one (\"" + installationId + "\").");
        }
    }

    private void jsonPatch(String name, List<Map<String, Object>> patch) {
        vms().withName(name).patch(PatchContext.of(PatchType.JSON),
                client.getKubernetesSerialization().asJson(patch));
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> vms() {
        return client.genericKubernetesResources(KubevirtObjects.VM).inNamespace(namespace);
    }

    private String name(String labId) throws RuntimeFailure {
        try {
            return names.name(labId);
        } catch (IllegalArgumentException e) {
            throw new RuntimeFailure(e.getMessage(), e);
        }
    }
}
