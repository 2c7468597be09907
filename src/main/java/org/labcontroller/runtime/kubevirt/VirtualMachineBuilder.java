package org.labcontroller.runtime.kubevirt;

import static org.labcontroller.runtime.kubevirt.KubevirtObjects.INSTALLATION;
import static org.labcontroller.runtime.kubevirt.KubevirtObjects.LAB_ID;
import static org.labcontroller.runtime.kubevirt.KubevirtObjects.MANAGED_BY;
import static org.labcontroller.runtime.kubevirt.KubevirtObjects.MANAGER;
import static org.labcontroller.runtime.kubevirt.KubevirtObjects.NETWORK;
import static org.labcontroller.runtime.kubevirt.KubevirtObjects.OWNER;
import static org.labcontroller.runtime.kubevirt.KubevirtObjects.OWNER_ANNOTATION;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.labcontroller.runtime.Readiness;
import org.labcontroller.runtime.VmNetwork;
import org.labcontroller.runtime.VmSpec;

/**
 * Builds the one object the controller owns per lab, its {@code kubevirt.io/v1} VirtualMachine, and
 * reads what the controller recorded on a live one (restart generation, readiness, run strategy);
 * {@link OwnedFields} compares and patches only the fields the controller owns, so that defaults
 * the cluster adds (machine type, firmware ids, status) never count as drift.
 */
final class VirtualMachineBuilder {
    static final String ROOT_DISK = "rootdisk";
    static final String CLOUD_INIT = "cloudinit";

    /** The lab's restart generation the machine has reached (set on create and by each restart). */
    static final String RESTART_ANNOTATION = "lab-controller.dev/restart-generation";

    /** How the machine is judged ready ({@code agent} or {@code none}), read back by {@link VmStatusAggregator}. */
    static final String READINESS_ANNOTATION = "lab-controller.dev/readiness";

    /**
     * KubeVirt's run strategies the controller knows. A running lab's VM is {@code RerunOnFailure}:
     * KubeVirt starts a failed instance again, but leaves one whose guest shut itself down stopped
     * (phase Succeeded), so a student's {@code poweroff} is not undone; a stopped lab's is {@code
     * Halted}. {@code Always} is only read, on VMs an earlier version made; a start moves them on.
     */
    enum RunStrategy { Always, RerunOnFailure, Halted }

    private final String namespace;
    private final String pullPolicy;
    private final String installationId;

    VirtualMachineBuilder(String namespace, String pullPolicy, String installationId) {
        this.namespace = namespace;
        this.pullPolicy = pullPolicy;
        this.installationId = KubevirtObjects.installationId(installationId);
    }

    /** The VirtualMachine a lab should have, under the name the controller gives a lab's own VM. */
    GenericKubernetesResource desired(VmSpec spec, RunStrategy runStrategy) {
        return desired(spec, runStrategy, KubevirtObjects.vmName(spec.labId()));
    }

    /** The VirtualMachine a lab should have, named {@code name} (a claimed pool VM keeps its pool name). */
    GenericKubernetesResource desired(VmSpec spec, RunStrategy runStrategy, String name) {
        GenericKubernetesResource vm = new GenericKubernetesResource();
        vm.setApiVersion(KubevirtObjects.GROUP + "/" + KubevirtObjects.VERSION);
        vm.setKind("VirtualMachine");
        vm.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(labels(spec))
                .withAnnotations(Map.of(OWNER_ANNOTATION, spec.owner() == null ? "" : spec.owner(),
                        RESTART_ANNOTATION, Integer.toString(spec.restartGeneration()),
                        READINESS_ANNOTATION, spec.readiness().mode()))
                .build());
        Map<String, Object> vmSpec = new LinkedHashMap<>();
        vmSpec.put("runStrategy", runStrategy.name());
        vmSpec.put("template", template(spec, name));
        vm.setAdditionalProperty("spec", vmSpec);
        return vm;
    }

    /** The restart generation recorded on a live VM; 0 when it has none. */
    static int restartGeneration(GenericKubernetesResource vm) {
        Map<String, String> annotations = vm.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(RESTART_ANNOTATION);
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** How a live VM is judged ready ({@code none} when it carries no annotation). */
    static String readiness(GenericKubernetesResource vm) {
        Map<String, String> annotations = vm.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(READINESS_ANNOTATION);
        return value == null ? Readiness.NONE : value;
    }

    /** The run strategy of a live VM, or null when it has none the controller knows. */
    static RunStrategy runStrategy(GenericKubernetesResource vm) {
        Object value = vm.get("spec", "runStrategy");
        for (RunStrategy strategy : RunStrategy.values()) {
            if (strategy.name().equals(value)) {
                return strategy;
            }
        }
        return null;
    }

    /**
     * The labels of the VM and of its template, which KubeVirt copies to the instance and on to its
     * virt-launcher pod (the labs' NetworkPolicies select those pods by them).
     */
    Map<String, String> labels(VmSpec spec) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, MANAGER);
        labels.put(INSTALLATION, installationId);
        labels.put(LAB_ID, spec.labId());
        labels.put(OWNER, KubevirtObjects.labelValue(spec.owner()));
        labels.put(NETWORK, spec.network().value());
        return labels;
    }

    private Map<String, Object> template(VmSpec spec, String name) {
        List<Object> disks = new ArrayList<>();
        List<Object> volumes = new ArrayList<>();
        disks.add(Map.of("name", ROOT_DISK, "disk", Map.of("bus", "virtio")));
        volumes.add(Map.of("name", ROOT_DISK, "containerDisk",
                Map.of("image", spec.image().containerDisk(), "imagePullPolicy", pullPolicy)));
        if (spec.cloudInit() != null && !spec.cloudInit().isBlank()) {
            disks.add(Map.of("name", CLOUD_INIT, "disk", Map.of("bus", "virtio")));
            // By reference: KubeVirt refuses inline user data over 2 KiB, and a Secret hides its passwords.
            volumes.add(Map.of("name", CLOUD_INIT, "cloudInitNoCloud",
                    Map.of("secretRef", Map.of("name", CloudInitSecrets.name(name)))));
        }
        Map<String, Object> devices = new LinkedHashMap<>();
        devices.put("autoattachSerialConsole", spec.console());
        devices.put("autoattachGraphicsDevice", spec.vnc());
        devices.put("disks", disks);
        // none: no network card; isolated and internet: the pod network, fenced by the labs' NetworkPolicies
        // (deploy/base/labs closes it; deploy/components/lab-internet opens egress for internet labs only).
        devices.put("autoattachPodInterface", spec.network() != VmNetwork.NONE);
        if (spec.vnc()) {
            // An absolute pointer: without it noVNC's cursor and the guest's drift apart.
            devices.put("inputs", List.of(Map.of("name", "tablet", "type", "tablet", "bus", "usb")));
        }
        Map<String, Object> domain = new LinkedHashMap<>();
        domain.put("cpu", Map.of("cores", spec.cpus()));
        domain.put("resources", Map.of("requests", Map.of("memory", memory(spec.memoryMb()))));
        domain.put("devices", devices);
        Map<String, Object> vmiSpec = new LinkedHashMap<>();
        vmiSpec.put("domain", domain);
        vmiSpec.put("volumes", volumes);
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("metadata", Map.of("labels", labels(spec)));
        template.put("spec", vmiSpec);
        return template;
    }

    /** Memory in the canonical form the API server writes back (1024Mi is stored as 1Gi). */
    static String memory(int memoryMb) {
        return memoryMb % 1024 == 0 ? memoryMb / 1024 + "Gi" : memoryMb + "Mi";
    }

}
