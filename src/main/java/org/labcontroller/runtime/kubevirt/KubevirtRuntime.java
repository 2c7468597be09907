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
import org.labcontroller.runtime.kubevirt.VirtualMachineBuilder.RunStrategy;

/**
 * The cluster runtime: one KubeVirt VirtualMachine per lab in one namespace, so labs run on a
 * Kubernetes cluster's nodes and several controller replicas can share them. Start and stop set the
 * VM's run strategy (idempotent, unlike the start/stop subresources): {@code RerunOnFailure}, so a
 * guest that shuts itself down stays off and is reported powered off, or {@code Halted}; restart uses KubeVirt's
 * restart subresource, observation reads an informer cache, and streams are KubeVirt's console and
 * VNC websockets.
 */
@ApplicationScoped
@jakarta.enterprise.inject.Typed(KubevirtRuntime.class)
public class KubevirtRuntime implements LabRuntime {
    private static final Logger LOG = Logger.getLogger(KubevirtRuntime.class);

    private final KubernetesClient client;
    private final String namespace;
    private final VirtualMachineBuilder builder;
    private final KubevirtSubresources subresources;
    private final VmCache cache;
    private final CloudInitSecrets secrets;
    private final String demoImage;
    private final String installationId;

    /** The CDI constructor; tests pass a mock server's client and a hand-written configuration. */
    @Inject
    public KubevirtRuntime(KubernetesClient client, KubevirtConfig config) {
        this.client = client;
        this.namespace = config.namespace();
        this.installationId = KubevirtObjects.installationId(config.installationId());
        this.builder = new VirtualMachineBuilder(namespace, config.imagePullPolicy(), installationId);
        this.subresources = new KubevirtSubresources(client, config);
        this.cache = new VmCache(client, namespace, installationId, config.readyGrace(), Clock.systemUTC());
        this.demoImage = config.demoImage();
        this.secrets = new CloudInitSecrets(client, namespace, installationId);
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

    @Override
    public void start(VmSpec spec) throws RuntimeFailure {
        apply(spec, RunStrategy.RerunOnFailure);
    }

    @Override
    public void stop(String labId) throws RuntimeFailure {
        String name = name(labId);
        String action = "stop the VirtualMachine " + name;
        try {
            GenericKubernetesResource vm = vms().withName(name).get();
            if (vm != null && VirtualMachineBuilder.runStrategy(vm) != RunStrategy.Halted) {
                jsonPatch(name, VirtualMachineBuilder.runStrategyPatch(RunStrategy.Halted));
                LOG.infof("Stopping lab %s", labId);
            }
        } catch (KubernetesClientException e) {
            throw ApiFailures.failure(action, e);
        }
    }

    @Override
    public void restart(VmSpec spec) throws RuntimeFailure {
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
            jsonPatch(name, VirtualMachineBuilder.restartGenerationPatch(spec.restartGeneration()));
        } catch (KubernetesClientException e) {
            throw ApiFailures.failure("record the restart of the VirtualMachine " + name, e);
        }
    }

    @Override
    public void delete(String labId) throws RuntimeFailure {
        String name = name(labId);
        if (beingDeleted(name)) {
            return; // asked already: one DELETE per VM, however often the loop looks
        }
        try {
            // The instance and its pod are owned by the VM and go with it.
            vms().withName(name).delete();
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

    @Override
    public Map<String, VmStatus> observe() throws RuntimeFailure {
        Map<String, GenericKubernetesResource> vms = cache.vms();
        Map<String, GenericKubernetesResource> vmis = cache.vmis();
        Map<String, VmStatus> result = new LinkedHashMap<>();
        vms.forEach((labId, vm) -> result.put(labId, status(labId, vm, vmis.get(labId))));
        return result;
    }

    @Override
    public VmStatus observe(String labId) throws RuntimeFailure {
        String name;
        try {
            name = KubevirtObjects.vmName(labId);
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
        return subresources.open(runningInstance(labId, kind), kind);
    }

    @Override
    public boolean screenshots() {
        return true;
    }

    /** The instance's {@code vnc/screenshot} subresource (PNG). */
    @Override
    public byte[] screenshot(String labId) throws StreamUnavailableException, RuntimeFailure {
        return subresources.screenshot(runningInstance(labId, StreamKind.VNC));
    }

    /** The name of the lab's running instance that offers {@code kind}, seen in the informer cache. */
    private String runningInstance(String labId, StreamKind kind) throws StreamUnavailableException {
        String name;
        try {
            name = KubevirtObjects.vmName(labId);
        } catch (IllegalArgumentException e) {
            throw new StreamUnavailableException("Lab " + labId + " is not running.");
        }
        GenericKubernetesResource vmi = cache.vmi(name);
        if (vmi == null || !"Running".equals(vmi.get("status", "phase"))) {
            throw new StreamUnavailableException("Lab " + labId + " is not running.");
        }
        String device = kind == StreamKind.CONSOLE ? "autoattachSerialConsole" : "autoattachGraphicsDevice";
        if (Boolean.FALSE.equals(vmi.get("spec", "domain", "devices", device))) {
            throw new StreamUnavailableException("Lab " + labId + " does not offer a "
                    + (kind == StreamKind.CONSOLE ? "console" : "vnc") + " stream.");
        }
        return name;
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
        cache.close();
    }

    /** Creates the lab's VM, or brings its owned fields and run strategy to what is desired. */
    private void apply(VmSpec spec, RunStrategy strategy) throws RuntimeFailure {
        GenericKubernetesResource desired = builder.desired(spec, strategy);
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
                if (!VirtualMachineBuilder.matches(live, desired) || VirtualMachineBuilder.runStrategy(live) != strategy) {
                    jsonPatch(name, VirtualMachineBuilder.ownedFieldsPatch(live, desired));
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
            jsonPatch(name, VirtualMachineBuilder.runStrategyPatch(RunStrategy.Halted));
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

    private static String name(String labId) throws RuntimeFailure {
        try {
            return KubevirtObjects.vmName(labId);
        } catch (IllegalArgumentException e) {
            throw new RuntimeFailure(e.getMessage(), e);
        }
    }
}
