package org.labcontroller.runtime.kubevirt;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.RuntimeFailure;

/**
 * The controller's view of its VirtualMachines and their instances, kept current by two informers
 * (one list, then a watch) on the managed-by and installation labels in the labs' namespace: another
 * installation's objects in the same namespace are never seen, so never taken for orphans. The
 * reconcile loop reads this cache every pass, so observing costs no API call; the watches are also the signal that the
 * API is reachable.
 */
final class VmCache implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(VmCache.class);
    private static final String LAB_INDEX = "lab";

    private final Watched vms;
    private final Watched vmis;
    private final Duration grace;
    private final Clock clock;
    // NOTE: written by the readiness probe's thread, read by any; a stale value only shifts the grace.
    private volatile Instant lastHealthy;

    VmCache(KubernetesClient client, String namespace, String installationId, Duration grace, Clock clock) {
        this.grace = grace;
        this.clock = clock;
        this.lastHealthy = clock.instant();
        Map<String, String> owned = KubevirtObjects.ownedBy(KubevirtObjects.installationId(installationId));
        this.vms = new Watched(client, namespace, owned, KubevirtObjects.VM);
        this.vmis = new Watched(client, namespace, owned, KubevirtObjects.VMI);
    }

    /** Every managed VirtualMachine, keyed by its lab id; fails while the cache cannot be trusted. */
    Map<String, GenericKubernetesResource> vms() throws RuntimeFailure {
        return vms.byLabId();
    }

    /** Every managed VirtualMachineInstance, keyed by its lab id. */
    Map<String, GenericKubernetesResource> vmis() throws RuntimeFailure {
        return vmis.byLabId();
    }

    /** The cached VirtualMachine of a lab, or null; fails while the cache cannot be trusted. */
    GenericKubernetesResource vm(String name) throws RuntimeFailure {
        return vms.get(name);
    }

    /** The cached instance of a lab by its VM name, or null; fails while the cache cannot be trusted. */
    GenericKubernetesResource trustedVmi(String name) throws RuntimeFailure {
        return vmis.get(name);
    }

    /**
     * The name of the VM that carries {@code labId}'s label (a claimed pool VM, or the lab's own), or
     * null; read from the store without failing, since the API call that follows decides.
     */
    String vmNameOfLab(String labId) {
        List<GenericKubernetesResource> found = vms.informer.getIndexer().byIndex(LAB_INDEX, labId);
        return found.isEmpty() ? null : found.get(0).getMetadata().getName();
    }

    /** Every managed VirtualMachine that is an unclaimed member of a warm pool. */
    List<GenericKubernetesResource> pooled() throws RuntimeFailure {
        vms.checkTrusted();
        return vms.informer.getStore().list().stream().filter(vm -> vm.getMetadata().getLabels() != null
                && vm.getMetadata().getLabels().containsKey(KubevirtObjects.POOL)).toList();
    }

    /** Tells {@code changed} the lab id of every VM or instance the cluster adds, changes or removes. */
    void onChange(Consumer<String> changed) {
        for (Watched watched : List.of(vms, vmis)) {
            watched.informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(GenericKubernetesResource obj) {
                    tell(obj);
                }

                @Override
                public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource obj) {
                    tell(obj);
                }

                @Override
                public void onDelete(GenericKubernetesResource obj, boolean unknownFinalState) {
                    tell(obj);
                }

                private void tell(GenericKubernetesResource obj) {
                    String labId = KubevirtObjects.labId(obj);
                    if (labId == null && watched == vmis) {
                        // A claimed pool VM's instance keeps the pool's labels until it restarts: its VM tells the lab.
                        GenericKubernetesResource vm = vms.informer.getStore().getByKey(vms.namespace + "/" + obj.getMetadata().getName());
                        labId = vm == null ? null : KubevirtObjects.labId(vm);
                    }
                    if (labId != null) {
                        changed.accept(labId);
                    }
                }
            });
        }
    }

    /** The cached instance of a lab, or null; never fails (streams check it, the API decides). */
    GenericKubernetesResource vmi(String name) {
        return vmis.informer.getStore().getByKey(vmis.namespace + "/" + name);
    }

    /** Whether both informers have listed their objects once since they started. */
    boolean synced() {
        return vms.informer.hasSynced() && vmis.informer.hasSynced();
    }

    /** True while both watches run, or did within the grace period (a watch reconnects now and then). */
    boolean healthy() {
        Instant now = clock.instant();
        if (vms.informer.isWatching() && vmis.informer.isWatching()) {
            lastHealthy = now;
            return true;
        }
        return now.isBefore(lastHealthy.plus(grace));
    }

    @Override
    public void close() {
        vms.informer.stop();
        vmis.informer.stop();
    }

    /** One informer and the last error it met, told as a sentence. */
    private static final class Watched {
        private final String namespace;
        private final ResourceDefinitionContext kind;
        private final SharedIndexInformer<GenericKubernetesResource> informer;
        // NOTE: set by the informer's thread when a list or watch fails, read by the reconcile thread.
        private volatile String lastError;

        Watched(KubernetesClient client, String namespace, Map<String, String> owned, ResourceDefinitionContext kind) {
            this.namespace = namespace;
            this.kind = kind;
            this.informer = client.genericKubernetesResources(kind).inNamespace(namespace)
                    .withLabels(owned) // NOTE: managed-by and this installation's id: never another's objects
                    .runnableInformer(0);
            informer.addIndexers(Map.of(LAB_INDEX, object -> {
                String labId = KubevirtObjects.labId(object);
                return labId == null ? List.of() : List.of(labId);
            }));
            informer.exceptionHandler((started, error) -> {
                lastError = ApiFailures.sentence("list and watch " + kind.getPlural() + " in namespace " + namespace, error);
                LOG.warnf("%s; retrying", lastError);
                return true; // keep retrying: RBAC or the network may be fixed without a restart
            });
            // NOTE: start() returns at once; the informer lists and watches on the client's threads.
            informer.start();
        }

        GenericKubernetesResource get(String name) throws RuntimeFailure {
            checkTrusted();
            return informer.getStore().getByKey(namespace + "/" + name);
        }

        Map<String, GenericKubernetesResource> byLabId() throws RuntimeFailure {
            checkTrusted();
            Map<String, GenericKubernetesResource> result = new LinkedHashMap<>();
            List<GenericKubernetesResource> items = informer.getStore().list();
            for (GenericKubernetesResource item : items) {
                String labId = KubevirtObjects.labId(item);
                if (labId != null) {
                    result.put(labId, item);
                }
            }
            return result;
        }

        void checkTrusted() throws RuntimeFailure {
            if (!informer.hasSynced()) {
                throw new RuntimeFailure(lastError != null ? lastError
                        : "The controller has not finished listing " + kind.getPlural() + " in namespace " + namespace + " yet.");
            }
            if (informer.isWatching()) {
                lastError = null; // recovered: the watch runs again
            } else if (lastError != null) {
                throw new RuntimeFailure(lastError);
            }
        }
    }
}
