package org.labcontroller.runtime.kubevirt;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmSpec;

/**
 * The Secret that carries a lab's cloud-init user data. Inline in the VM, KubeVirt's admission
 * refuses user data over 2 KiB (any realistic cloud-config), and whoever may read VirtualMachines
 * would read the passwords in it; in a Secret neither holds. The VM refers to it
 * ({@code cloudInitNoCloud.secretRef}) and owns it, so Kubernetes deletes it with the VM.
 */
final class CloudInitSecrets {
    static final String KEY = "userdata";

    private final KubernetesClient client;
    private final String namespace;
    private final String installationId;

    CloudInitSecrets(KubernetesClient client, String namespace, String installationId) {
        this.client = client;
        this.namespace = namespace;
        this.installationId = KubevirtObjects.installationId(installationId);
    }

    /** The Secret's name for a VM. */
    static String name(String vmName) {
        return vmName + "-cloudinit";
    }

    /** Creates the Secret, or brings its data to {@code spec}'s, before the VM refers to it. */
    Secret ensure(VmSpec spec, String vmName) throws RuntimeFailure {
        String name = name(vmName);
        String encoded = Base64.getEncoder().encodeToString(spec.cloudInit().getBytes(StandardCharsets.UTF_8));
        try {
            Secret live = client.secrets().inNamespace(namespace).withName(name).get();
            if (live == null) {
                Secret desired = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                        .withLabels(labels(spec)).endMetadata().withType("Opaque").withData(Map.of(KEY, encoded)).build();
                return client.secrets().inNamespace(namespace).resource(desired).create();
            }
            String owner = live.getMetadata().getLabels() == null ? null
                    : live.getMetadata().getLabels().get(KubevirtObjects.INSTALLATION);
            if (owner != null && !owner.equals(installationId)) {
                throw new RuntimeFailure("The Secret " + name + " belongs to the installation \"" + owner
                        + "\", not to this one (\"" + installationId + "\").");
            }
            if (live.getData() == null || !encoded.equals(live.getData().get(KEY))) {
                return patch(name, List.of(JsonPatch.add("/data", Map.of(KEY, encoded))));
            }
            return live;
        } catch (KubernetesClientException e) {
            throw ApiFailures.failure("write the cloud-init Secret " + name, e);
        }
    }

    /** The owned-by labels, and the lab's id unless it is a pooled VM's (which has no lab yet). */
    private Map<String, String> labels(VmSpec spec) {
        Map<String, String> labels = new java.util.HashMap<>(KubevirtObjects.ownedBy(installationId));
        if (spec.labId() != null) {
            labels.put(KubevirtObjects.LAB_ID, spec.labId());
        }
        return labels;
    }

    /** Makes {@code vm} the Secret's owner (once), so it is garbage-collected with the VM. */
    void own(Secret secret, GenericKubernetesResource vm) throws RuntimeFailure {
        String uid = vm.getMetadata().getUid();
        List<OwnerReference> owners = secret.getMetadata().getOwnerReferences();
        if (uid == null || owners != null && owners.stream().anyMatch(o -> uid.equals(o.getUid()))) {
            return;
        }
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion(vm.getApiVersion()).withKind(vm.getKind())
                .withName(vm.getMetadata().getName()).withUid(uid).withBlockOwnerDeletion(false).build();
        try {
            patch(secret.getMetadata().getName(), List.of(JsonPatch.add("/metadata/ownerReferences", List.of(owner))));
        } catch (KubernetesClientException e) {
            throw ApiFailures.failure("give the cloud-init Secret " + secret.getMetadata().getName() + " its owner", e);
        }
    }

    private Secret patch(String name, List<Map<String, Object>> ops) {
        return client.secrets().inNamespace(namespace).withName(name)
                .patch(PatchContext.of(PatchType.JSON), client.getKubernetesSerialization().asJson(ops));
    }
}
