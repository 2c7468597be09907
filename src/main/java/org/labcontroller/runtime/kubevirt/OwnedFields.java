package org.labcontroller.runtime.kubevirt;

import static org.labcontroller.runtime.kubevirt.JsonPatch.add;
import static org.labcontroller.runtime.kubevirt.JsonPatch.pointer;
import static org.labcontroller.runtime.kubevirt.KubevirtObjects.LAB_ID;
import static org.labcontroller.runtime.kubevirt.KubevirtObjects.MANAGED_BY;
import static org.labcontroller.runtime.kubevirt.KubevirtObjects.NETWORK;
import static org.labcontroller.runtime.kubevirt.KubevirtObjects.OWNER;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The fields of a lab's VirtualMachine the controller owns: whether a live VM has them as the
 * {@link VirtualMachineBuilder} would build it, and the JSON patches (RFC 6902) that set them and
 * nothing else, so defaults the cluster adds and fields an admin set are never overwritten.
 */
final class OwnedFields {
    private OwnedFields() {
    }

    /**
     * A JSON patch (RFC 6902) that sets every field the controller owns on {@code live} to what
     * {@code desired} has, and nothing else: labels, run strategy, cores, memory, the devices it
     * declares and the volumes. What KubeVirt set on create (the firmware's uuid and serial, so the
     * guest keeps its identity) and what an admin added (tolerations, a node selector) stay. Not a
     * merge patch, whose list handling differs between servers; "add" replaces an existing member.
     */
    static List<Map<String, Object>> patch(GenericKubernetesResource live, GenericKubernetesResource desired) {
        List<Map<String, Object>> ops = new ArrayList<>();
        desired.getMetadata().getLabels().forEach((key, value) -> ops.add(add("/metadata/labels/" + pointer(key), value)));
        ops.add(add("/metadata/annotations/" + pointer(VirtualMachineBuilder.READINESS_ANNOTATION), VirtualMachineBuilder.readiness(desired)));
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

    /** A JSON patch that records the restart generation the machine reached. */
    static List<Map<String, Object>> restartGenerationPatch(int generation) {
        return List.of(add("/metadata/annotations/" + pointer(VirtualMachineBuilder.RESTART_ANNOTATION), Integer.toString(generation)));
    }

    /** A JSON patch that only sets the run strategy. */
    static List<Map<String, Object>> runStrategyPatch(VirtualMachineBuilder.RunStrategy strategy) {
        return List.of(add("/spec/runStrategy", strategy.name()));
    }

    /** Whether the live VM has every field the controller owns as desired (run strategy aside). */
    static boolean matches(GenericKubernetesResource actual, GenericKubernetesResource desired) {
        return owned(actual).equals(owned(desired));
    }

    /** Every field the controller owns, flattened, so that a comparison ignores everything else. */
    private static Map<String, Object> owned(GenericKubernetesResource vm) {
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, String> labels = vm.getMetadata().getLabels() == null ? Map.of() : vm.getMetadata().getLabels();
        for (String key : List.of(MANAGED_BY, LAB_ID, OWNER, NETWORK)) {
            fields.put("label " + key, labels.get(key));
            fields.put("template label " + key, vm.get("spec", "template", "metadata", "labels", key));
        }
        fields.put("readiness", VirtualMachineBuilder.readiness(vm));
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
