package org.labcontroller.runtime.kubevirt;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.InvalidImageException;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.runtime.Readiness;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.StreamUnavailableException;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus;
import org.labcontroller.runtime.WarmTarget;
import org.labcontroller.runtime.kubevirt.VirtualMachineBuilder.RunStrategy;

/**
 * The cluster runtime: one KubeVirt VirtualMachine per lab in one namespace, so labs run on a
 * Kubernetes cluster's nodes and several controller replicas can share them. Start and stop set the
 * VM's run strategy (idempotent, unlike the start/stop subresources): {@code RerunOnFailure}, so a
 * guest that shuts itself down stays off and is reported powered off, or {@code Halted}; restart uses KubeVirt's
 * restart subresource, observation reads an informer cache, and streams are KubeVirt's console and
 * VNC websockets. A template's warm pool ({@link WarmPool}) keeps VMs started ahead of use, and a
 * start takes one of them ({@link PoolClaims}) before it creates the lab's own.
 */
@ApplicationScoped
@jakarta.enterprise.inject.Typed(KubevirtRuntime.class)
public class KubevirtRuntime implements LabRuntime {
    private static final Logger LOG = Logger.getLogger(KubevirtRuntime.class);

    private final KubernetesClient client;
    private final String namespace;
    private final KubevirtSubresources subresources;
    private final VmCache cache;
    private final VmLifecycle machines;
    private final LabVms names;
    private final WarmPool pool;
    private final PoolClaims claims;
    private final String demoImage;

    /** The CDI constructor; tests pass a mock server's client and a hand-written configuration. */
    @Inject
    public KubevirtRuntime(KubernetesClient client, KubevirtConfig config) {
        this.client = client;
        this.namespace = config.namespace();
        String installationId = KubevirtObjects.installationId(config.installationId());
        this.subresources = new KubevirtSubresources(client, config);
        this.cache = new VmCache(client, namespace, installationId, config.readyGrace(), Clock.systemUTC());
        this.demoImage = config.demoImage();
        this.names = new LabVms(cache);
        VirtualMachineBuilder builder = new VirtualMachineBuilder(namespace, config.imagePullPolicy(), installationId);
        CloudInitSecrets secrets = new CloudInitSecrets(client, namespace, installationId);
        this.machines = new VmLifecycle(client, namespace, builder, subresources, cache, secrets, installationId, names);
        this.pool = new WarmPool(client, namespace, builder, cache, secrets, Clock.systemUTC());
        this.claims = new PoolClaims(client, namespace, cache, pool, names);
    }

    @Override
    public String name() {
        return "kubevirt";
    }

    @Override
    public void validate(VmImage image) throws InvalidImageException {
        ContainerDiskImage.validate(image);
    }

    @Override
    public VmImage demoImage() {
        return new VmImage(null, null, null, null, demoImage);
    }

    /**
     * The guest agent ({@code AgentConnected}) or nothing. Not the console: KubeVirt's serial console
     * takes one connection, so watching it would take it from the student; a template asking for
     * console readiness is refused here.
     */
    @Override
    public Set<String> readinessModes() {
        return Set.of(Readiness.NONE, Readiness.AGENT);
    }

    /** Takes a ready VM from the template's warm pool if there is one, else creates or starts the lab's own. */
    @Override
    public void start(VmSpec spec) throws RuntimeFailure {
        if (!claims.claim(spec)) {
            machines.apply(spec, RunStrategy.RerunOnFailure);
        }
    }

    /** Pooled VMs of each template's shape, own VMs with a pool label (see {@link WarmPool} for why). */
    @Override
    public void keepWarm(List<WarmTarget> targets) throws RuntimeFailure {
        pool.keepWarm(targets);
    }

    /** How many ready pooled VMs a lab of {@code spec} could take now (tests wait for the pool with it). */
    int warmReady(VmSpec spec) throws RuntimeFailure {
        return claims.ready(spec);
    }

    @Override
    public void stop(String labId) throws RuntimeFailure {
        machines.stop(labId);
    }

    @Override
    public void restart(VmSpec spec) throws RuntimeFailure {
        machines.restart(spec);
    }

    @Override
    public void delete(String labId) throws RuntimeFailure {
        machines.delete(labId);
    }

    @Override
    public Map<String, VmStatus> observe() throws RuntimeFailure {
        Map<String, GenericKubernetesResource> vms = cache.vms();
        Map<String, VmStatus> result = new LinkedHashMap<>();
        for (Map.Entry<String, GenericKubernetesResource> vm : vms.entrySet()) {
            // By name: a claimed pool VM's instance carries the pool's labels until it restarts.
            result.put(vm.getKey(), status(vm.getKey(), vm.getValue(), cache.trustedVmi(vm.getValue().getMetadata().getName())));
        }
        return result;
    }

    @Override
    public VmStatus observe(String labId) throws RuntimeFailure {
        String name;
        try {
            name = names.name(labId);
        } catch (IllegalArgumentException e) {
            return null;
        }
        GenericKubernetesResource vm = cache.vm(name);
        return vm == null ? null : status(labId, vm, cache.trustedVmi(name));
    }

    @Override
    public void watch(Consumer<String> changed) {
        cache.onChange(changed);
    }

    private static VmStatus status(String labId, GenericKubernetesResource vm, GenericKubernetesResource vmi) {
        VmStatus status = VmStatusAggregator.status(labId, vm, vmi);
        return new VmStatus(labId, status.phase(), status.reason(), VirtualMachineBuilder.restartGeneration(vm), status.ready(),
                status.poweredOff());
    }

    @Override
    public ByteChannel open(String labId, StreamKind kind) throws StreamUnavailableException, IOException {
        return subresources.open(names.runningInstance(labId, kind), kind);
    }

    @Override
    public boolean screenshots() {
        return true;
    }

    /** The instance's {@code vnc/screenshot} subresource (PNG). */
    @Override
    public byte[] screenshot(String labId) throws StreamUnavailableException, RuntimeFailure {
        return subresources.screenshot(names.runningInstance(labId, StreamKind.VNC));
    }

    /** KubeVirt's virt-handler serves one VNC connection per instance; a second one replaces the first. */
    @Override
    public boolean exclusiveScreen() {
        return true;
    }

    @Override
    public boolean ready() {
        return cache.healthy();
    }

    @Override
    public boolean synced() {
        return cache.synced();
    }

    /** Stops the informers; the VMs keep running without the controller. */
    @PreDestroy
    public void close() {
        pool.close();
        cache.close();
    }
}
