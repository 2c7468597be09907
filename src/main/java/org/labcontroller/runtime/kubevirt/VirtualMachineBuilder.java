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
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.labcontroller.runtime.Readiness;
import org.labcontroller.runtime.VmNetwork;
import org.labcontroller.runtime.VmSpec;

/**
 * Builds the one object the controller owns per lab, its {@code kubevirt.io/v1} VirtualMachine, and
 * compares an existing one with it on the fields the controller owns only, so that defaults the
 * cluster adds (machine type, firmware ids, status) never count as drift.
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

    /**
     * A JSON patch (RFC 6902) that sets every field the controller owns on {@code live} to what
     * {@code desired} has, and nothing else: labels, run strategy, cores, memory, the devices it
     * declares and the volumes. What KubeVirt set on create (the firmware's uuid and serial, so the
     * guest keeps its identity) and what an admin added (tolerations, a node selector) stay. Not a
     * merge patch, whose list handling differs between servers; "add" replaces an existing member.
     */
    static List<Map<String, Object>> ownedFieldsPatch(GenericKubernetesResource live, GenericKubernetesResource desired) {
        List<Map<String, Object>> ops = new ArrayList<>();
        desired.getMetadata().getLabels().forEach((key, value) -> ops.add(add("/metadata/labels/" + pointer(key), value)));
        ops.add(add("/metadata/annotations/" + pointer(READINESS_ANNOTATION), readiness(desired)));
        ops.add(add("/spec/runStrategy", desired.get("spec", "runStrategy")));
        Map<String, Object> labels = desired.get("spec", "template", "metadata", "labels");
        labels.forEach((key, value) -> ops.add(add("/spec/template/metadata/labels/" + pointer(key), value)));
        String domain = "/spec/template/spec/domain";
        ops.add(add(domain + "/cpu/cores", desired.get("spec", "template", "spec", "domain", "cpu", "cores")));
        ops.add(add(domain + "/resources/requests/memory",
                desired.get("spec", "template", "spec", "domain", "resources", "requests", "memory")));
        Map<String, Object> devices = desired.get("spec", "template", "spec", "domain", "devices");
        devices.forEach((key, value) -> ops.add(add(domain + "/devices/" + pointer(key), value)));
        Map<String, Object> liveDevices = live.get("spec", "template", "spec", "domain", "devices");
        if (liveDevices != null && liveDevices.containsKey("inputs") && !devices.containsKey("inputs")) {
            ops.add(Map.of("op", "remove", "path", domain + "/devices/inputs"));
        }
        ops.add(add("/spec/template/spec/volumes", desired.get("spec", "template", "spec", "volumes")));
        return ops;
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

    /** A JSON patch that records the restart generation the machine reached. */
    static List<Map<String, Object>> restartGenerationPatch(int generation) {
        return List.of(add("/metadata/annotations/" + pointer(RESTART_ANNOTATION), Integer.toString(generation)));
    }

    /** A JSON patch that only sets the run strategy. */
    static List<Map<String, Object>> runStrategyPatch(RunStrategy strategy) {
        return List.of(add("/spec/runStrategy", strategy.name()));
    }

    private static Map<String, Object> add(String path, Object value) {
        return Map.of("op", "add", "path", path, "value", value);
    }

    private static String pointer(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    /** Whether the live VM has every field the controller owns as desired (run strategy aside). */
    static boolean matches(GenericKubernetesResource actual, GenericKubernetesResource desired) {
        return owned(actual).equals(owned(desired));
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

    /** Every field the controller owns, flattened, so that a comparison ignores everything else. */
    private static Map<String, Object> owned(GenericKubernetesResource vm) {
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, String> labels = vm.getMetadata().getLabels() == null ? Map.of() : vm.getMetadata().getLabels();
        for (String key : List.of(MANAGED_BY, LAB_ID, OWNER, NETWORK)) {
            fields.put("label " + key, labels.get(key));
            fields.put("template label " + key, vm.get("spec", "template", "metadata", "labels", key));
        }
        fields.put("readiness", readiness(vm));
        fields.put("cores", number(vm.get("spec", "template", "spec", "domain", "cpu", "cores")));
        fields.put("memory", bytes(vm.get("spec", "template", "spec", "domain", "resources", "requests", "memory")));
        Map<String, Object> devices = vm.get("spec", "template", "spec", "domain", "devices");
        devices = devices == null ? Map.of() : devices;
        fields.put("serial console", Objects.requireNonNullElse(devices.get("autoattachSerialConsole"), true));
        fields.put("graphics", Objects.requireNonNullElse(devices.get("autoattachGraphicsDevice"), true));
        fields.put("pod interface", Objects.requireNonNullElse(devices.get("autoattachPodInterface"), true));
        fields.put("disks", names(devices.get("disks")));
        List<Map<String, Object>> volumes = vm.get("spec", "template", "spec", "volumes");
        for (Map<String, Object> volume : volumes == null ? List.<Map<String, Object>>of() : volumes) {
            fields.put("volume " + volume.get("name") + " image",
                    GenericKubernetesResource.get(volume, "containerDisk", "image"));
            fields.put("volume " + volume.get("name") + " cloud-init",
                    GenericKubernetesResource.get(volume, "cloudInitNoCloud", "secretRef", "name"));
        }
        return fields;
    }

    private static List<Object> names(Object disks) {
        List<Object> names = new ArrayList<>();
        if (disks instanceof List<?> list) {
            for (Object disk : list) {
                names.add(disk instanceof Map<?, ?> map ? map.get("name") : disk);
            }
        }
        return names;
    }

    private static Object number(Object value) {
        return value instanceof Number n ? n.longValue() : value;
    }

    private static Object bytes(Object quantity) {
        try {
            return quantity == null ? null : Quantity.getAmountInBytes(Quantity.parse(String.valueOf(quantity))).toBigInteger();
        } catch (IllegalArgumentException | ArithmeticException e) {
            return quantity;
        }
    }
}
