package org.labcontroller.runtime.kubevirt;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.WarmTarget;
import org.labcontroller.runtime.kubevirt.VirtualMachineBuilder.RunStrategy;

/**
 * KubeVirt's warm pools: per template, a number of VMs of its labs' shape kept started
 * ({@code RerunOnFailure}) ahead of use, so that a start takes a booted, ready one
 * ({@link PoolClaims}) instead of waiting for a boot. They are the controller's own VMs, marked with
 * the installation's labels and a {@code lab-controller.dev/pool} label valued with their
 * {@link PoolKey}, not a KubeVirt {@code VirtualMachinePool}: that controller, like a ReplicaSet,
 * would replace a claimed VM at once but orphan it (and its cloud-init Secret stays named after
 * the pool), scale only as a whole, and sits in an API group the deployment would have to grant
 * and every cluster to run; a label patch does the claim on any KubeVirt. A pool is never a lab:
 * no lab row, no quota; VMs of pools no longer wanted (template deleted, size lowered, idle) are
 * deleted here.
 */
final class WarmPool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WarmPool.class);
    /** How long a VM this replica created counts before the watch shows it (then the cache counts it). */
    private static final Duration PENDING = Duration.ofMinutes(2);

    private final KubernetesClient client;
    private final String namespace;
    private final VirtualMachineBuilder builder;
    private final VmCache cache;
    private final CloudInitSecrets secrets;
    private final Clock clock;
    private final ExecutorService refills = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kubevirt-warm-pool");
        t.setDaemon(true);
        return t;
    });
    // NOTE: replaced whole by keepWarm (the leader's thread); read by fill on the refill thread. Null
    // until the leader first said what it wants, so a replica that just started deletes no pool.
    private volatile Map<String, WarmTarget> targets;
    // NOTE: guarded by this object's lock (fill is synchronized).
    private final Map<String, Pending> creating = new HashMap<>();
    // NOTE: a pooled VM is taken by whoever adds its name first: a claim (any worker) or fill deleting
    // it; so a VM being claimed is never deleted as surplus, nor claimed twice by this replica.
    private final Set<String> taken = ConcurrentHashMap.newKeySet();

    private record Pending(String key, Instant at) {
    }

    WarmPool(KubernetesClient client, String namespace, VirtualMachineBuilder builder, VmCache cache, CloudInitSecrets secrets,
            Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.builder = builder;
        this.cache = cache;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** Records the pools wanted now and brings the cluster to them. */
    void keepWarm(List<WarmTarget> wanted) throws RuntimeFailure {
        Map<String, WarmTarget> byKey = new LinkedHashMap<>();
        for (WarmTarget target : wanted) {
            if (target.size() > 0) {
                byKey.merge(PoolKey.of(target.shape()), target, (a, b) -> a.size() >= b.size() ? a : b);
            }
        }
        targets = Map.copyOf(byKey);
        fill();
    }

    /** Takes a pooled VM for a claim or a deletion; false when someone here took it first. */
    boolean take(String name) {
        return taken.add(name);
    }

    void release(String name) {
        taken.remove(name);
    }

    /** Makes the pools whole again in the background (after a claim took a VM). */
    void refill() {
        refills.execute(() -> {
            try {
                fill();
            } catch (RuntimeFailure | RuntimeException e) {
                LOG.warnf("Refilling the warm pools failed; the next resync tries again: %s", e.getMessage());
            }
        });
    }

    /** Creates the VMs the pools lack and deletes those no pool wants. */
    synchronized void fill() throws RuntimeFailure {
        Map<String, WarmTarget> wanted = targets;
        if (wanted == null) {
            return;
        }
        Instant now = clock.instant();
        Map<String, List<GenericKubernetesResource>> members = new HashMap<>();
        Set<String> pooled = new HashSet<>();
        for (GenericKubernetesResource vm : cache.pooled()) {
            String name = vm.getMetadata().getName();
            pooled.add(name);
            if (vm.getMetadata().getDeletionTimestamp() == null && !taken.contains(name)) {
                members.computeIfAbsent(vm.getMetadata().getLabels().get(KubevirtObjects.POOL), k -> new ArrayList<>()).add(vm);
            }
        }
        taken.retainAll(pooled); // claimed or deleted ones the cache no longer shows in a pool
        creating.entrySet().removeIf(e -> pooled.contains(e.getKey()) || e.getValue().at().plus(PENDING).isBefore(now)
                || cached(e.getKey()));
        for (Map.Entry<String, List<GenericKubernetesResource>> pool : members.entrySet()) {
            if (!wanted.containsKey(pool.getKey())) {
                LOG.infof("Removing the warm pool %s (%d VMs): no template wants it now", pool.getKey(), pool.getValue().size());
                pool.getValue().forEach(this::delete);
            }
        }
        for (Map.Entry<String, WarmTarget> target : wanted.entrySet()) {
            String key = target.getKey();
            List<GenericKubernetesResource> have = new ArrayList<>(members.getOrDefault(key, List.of()));
            long pending = creating.values().stream().filter(p -> p.key().equals(key)).count();
            for (long i = have.size() + pending; i < target.getValue().size(); i++) {
                create(key, target.getValue(), now);
            }
            // Surplus: the ones not ready yet go first, then the newest.
            have.sort(Comparator.comparing((GenericKubernetesResource vm) -> ready(vm))
                    .thenComparing(vm -> vm.getMetadata().getName()));
            for (int i = 0; i < have.size() - target.getValue().size(); i++) {
                delete(have.get(i));
            }
        }
    }

    /** Whether a pooled VM is started and ready by its template's readiness, as a lab's would be. */
    boolean ready(GenericKubernetesResource vm) {
        String name = vm.getMetadata().getName();
        return VmStatusAggregator.status(name, vm, cache.vmi(name)).ready();
    }

    private boolean cached(String name) {
        try {
            return cache.vm(name) != null;
        } catch (RuntimeFailure untrusted) {
            return false;
        }
    }

    private void create(String key, WarmTarget target, Instant now) throws RuntimeFailure {
        String name = PoolKey.vmName(key);
        VmSpec shape = target.shape().withLabId(null);
        GenericKubernetesResource vm = builder.desired(shape, RunStrategy.RerunOnFailure, name);
        Map<String, String> labels = vm.getMetadata().getLabels();
        labels.remove(KubevirtObjects.LAB_ID);
        labels.remove(KubevirtObjects.OWNER);
        labels.put(KubevirtObjects.POOL, key);
        labels.put(KubevirtObjects.TEMPLATE, KubevirtObjects.labelValue(target.templateId()));
        Map<String, String> instanceLabels = vm.get("spec", "template", "metadata", "labels");
        instanceLabels.remove(KubevirtObjects.LAB_ID);
        instanceLabels.remove(KubevirtObjects.OWNER);
        Secret cloudInit = shape.cloudInit() == null || shape.cloudInit().isBlank() ? null : secrets.ensure(shape, name);
        try {
            GenericKubernetesResource created = client.genericKubernetesResources(KubevirtObjects.VM).inNamespace(namespace)
                    .resource(vm).create();
            creating.put(name, new Pending(key, now));
            LOG.infof("Created the VirtualMachine %s for the warm pool of template %s", name, target.templateId());
            if (cloudInit != null) {
                secrets.own(cloudInit, created);
            }
        } catch (KubernetesClientException e) {
            throw ApiFailures.failure("create the pooled VirtualMachine " + name, e);
        }
    }

    private void delete(GenericKubernetesResource vm) {
        String name = vm.getMetadata().getName();
        if (!take(name)) {
            return; // being claimed right now
        }
        try {
            client.genericKubernetesResources(KubevirtObjects.VM).inNamespace(namespace).withName(name).delete();
            LOG.infof("Deleted the pooled VirtualMachine %s", name);
        } catch (KubernetesClientException e) {
            release(name);
            LOG.warnf("Deleting the pooled VirtualMachine %s failed; the next resync tries again: %s", name, e.getMessage());
        }
    }

    @Override
    public void close() {
        refills.shutdownNow();
    }
}
