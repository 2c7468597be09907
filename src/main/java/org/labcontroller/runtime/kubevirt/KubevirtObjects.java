package org.labcontroller.runtime.kubevirt;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The names the KubeVirt runtime shares with the cluster: the API groups and resources it uses
 * (there is no typed fabric8 model for KubeVirt, so objects are generic), the labels that mark the
 * controller's objects and the name of a lab's VirtualMachine.
 */
final class KubevirtObjects {
    static final String GROUP = "kubevirt.io";
    static final String SUBRESOURCES = "subresources.kubevirt.io";
    static final String VERSION = "v1";

    static final ResourceDefinitionContext VM = context("VirtualMachine", "virtualmachines");
    static final ResourceDefinitionContext VMI = context("VirtualMachineInstance", "virtualmachineinstances");

    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String MANAGER = "lab-controller";
    /** Which installation owns an object: each one's watches select only its own. */
    static final String INSTALLATION = "lab-controller.dev/installation";
    static final String LAB_ID = "lab-controller.dev/lab-id";
    static final String OWNER = "lab-controller.dev/owner";
    /** The template's network mode; the opt-in internet NetworkPolicy selects {@code internet} labs by it. */
    static final String NETWORK = "lab-controller.dev/network";
    static final String OWNER_ANNOTATION = "lab-controller.dev/owner-name";
    /** Marks an unclaimed VM of a warm pool, valued with its pool's key; a claim removes it. */
    static final String POOL = "lab-controller.dev/pool";
    /** The template a pooled VM was built from (kept after the claim, for people reading the cluster). */
    static final String TEMPLATE = "lab-controller.dev/template";

    /** Lab ids become part of object and pod names, so they must be DNS labels short enough for both. */
    private static final Pattern LAB_ID_FORMAT = Pattern.compile("[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");
    private static final Pattern LABEL_VALUE_UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

    private KubevirtObjects() {
    }

    /** The VirtualMachine (and so VirtualMachineInstance) name of a lab. */
    static String vmName(String labId) {
        if (labId == null || !LAB_ID_FORMAT.matcher(labId).matches()) {
            throw new IllegalArgumentException("Lab id " + labId + " cannot name a Kubernetes object.");
        }
        return "lab-" + labId;
    }

    /** The installation id, checked to be a non-empty label value (it selects the watched objects). */
    static String installationId(String id) {
        if (id == null || !LABEL_VALUE.matcher(id).matches()) {
            throw new IllegalArgumentException("lab.kubevirt.installation-id \"" + id + "\" is not a Kubernetes label value"
                    + " (1 to 63 letters, digits, '-', '_' or '.', beginning and ending with a letter or digit).");
        }
        return id;
    }

    /** The labels that mark an object as owned by this installation: the informers select on exactly these. */
    static Map<String, String> ownedBy(String installationId) {
        return Map.of(MANAGED_BY, MANAGER, INSTALLATION, installationId);
    }

    /** The lab a managed object belongs to, from its lab-id label; null when it has none. */
    static String labId(GenericKubernetesResource object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(LAB_ID);
    }

    /** A label value standing for free text: invalid characters replaced, at most 63 characters. */
    static String labelValue(String text) {
        String value = LABEL_VALUE_UNSAFE.matcher(text == null ? "" : text).replaceAll("_");
        value = value.length() > 63 ? value.substring(0, 63) : value;
        return value.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
    }

    /** The API path of a subresource of one of the lab's objects, e.g. {@code virtualmachines/x/restart}. */
    static String subresourcePath(String namespace, ResourceDefinitionContext kind, String name, String subresource) {
        return "apis/" + SUBRESOURCES + "/" + VERSION + "/namespaces/" + namespace + "/" + kind.getPlural() + "/"
                + name + "/" + subresource;
    }

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(GROUP).withVersion(VERSION).withKind(kind).withPlural(plural).withNamespaced(true)
                .build();
    }
}
