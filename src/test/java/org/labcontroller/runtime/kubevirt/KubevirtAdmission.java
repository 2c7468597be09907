package org.labcontroller.runtime.kubevirt;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rules of KubeVirt's admission webhooks (virt-api) that this controller's VMs can hit,
 * ported so the tests run them on every VM the builder makes; a schema check alone misses them.
 *
 * <ul>
 *   <li>cloud-init user data inline in a NoCloud or ConfigDrive volume: at most 2048 bytes ("userdata
 *   exceeds 2048 byte limit. Should use UserDataSecretRef for larger data") — KubeVirt
 *   {@code pkg/virt-api/webhooks/validating-webhook/admitters/vmi-create-admitter.go}, the cloud-init
 *   checks applied to a VM's template by {@code vms-admitter.go};</li>
 *   <li>every disk names a volume, and each volume is used by one disk (same file).</li>
 * </ul>
 */
final class KubevirtAdmission {
    static final int CLOUD_INIT_USER_DATA_MAX = 2048;

    private KubevirtAdmission() {
    }

    /** What virt-api would refuse in {@code vm}; empty when it admits it. */
    static List<String> refusals(GenericKubernetesResource vm) {
        List<String> refused = new ArrayList<>();
        List<Map<String, Object>> volumes = vm.get("spec", "template", "spec", "volumes");
        List<Map<String, Object>> disks = vm.get("spec", "template", "spec", "domain", "devices", "disks");
        List<Object> volumeNames = new ArrayList<>();
        for (Map<String, Object> volume : volumes == null ? List.<Map<String, Object>>of() : volumes) {
            volumeNames.add(volume.get("name"));
            for (String source : List.of("cloudInitNoCloud", "cloudInitConfigDrive")) {
                Object userData = GenericKubernetesResource.get(volume, source, "userData");
                if (userData instanceof String s && s.getBytes(StandardCharsets.UTF_8).length > CLOUD_INIT_USER_DATA_MAX) {
                    refused.add("userdata exceeds " + CLOUD_INIT_USER_DATA_MAX + " byte limit. Should use UserDataSecretRef for larger data");
                }
            }
        }
        for (Map<String, Object> disk : disks == null ? List.<Map<String, Object>>of() : disks) {
            if (!volumeNames.contains(disk.get("name"))) {
                refused.add("disk " + disk.get("name") + " has no matching volume");
            }
        }
        return refused;
    }
}
