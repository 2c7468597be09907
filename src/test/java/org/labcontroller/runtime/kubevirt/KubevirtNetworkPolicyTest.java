package org.labcontroller.runtime.kubevirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.VmNetwork;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The NetworkPolicies of the rendered overlays, evaluated the way the network plugin would for a lab
 * pod: one built by the controller's own VirtualMachineBuilder (KubeVirt copies the template's labels
 * to the virt-launcher pod and adds its own). Skipped where kubectl is not installed.
 */
class KubevirtNetworkPolicyTest {
    private static final Path DEPLOY = Path.of("deploy");
    private static final String LABS = FakeKubevirt.NAMESPACE;
    private static final String CONTROLLER = FakeKubevirt.CONTROLLER_NAMESPACE;
    private static final List<String> PRIVATE = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void labPodsAcceptNothingAndReachNothing(String overlay) throws Exception {
        List<HasMetadata> objects = render(DEPLOY.resolve("overlays/" + overlay).toAbsolutePath());
        List<NetworkPolicy> lab = selecting(objects, LABS, labPodLabels());
        assertTrue(lab.stream().anyMatch(p -> p.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress"))),
                "a policy isolates lab pods both ways: " + names(objects));
        assertNoIngressAndNoClusterEgress(lab);
        assertTrue(lab.stream().allMatch(p -> rules(p.getSpec().getEgress()).isEmpty()), "no egress at all without the opt-in");
    }

    @Test
    void theInternetOptInReachesTheInternetButNothingInTheCluster(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [%s]
                components: [%s]
                """.formatted(dir.relativize(DEPLOY.resolve("overlays/postgresql").toAbsolutePath()),
                dir.relativize(DEPLOY.resolve("components/lab-internet").toAbsolutePath()))); // kustomize refuses absolute roots
        List<HasMetadata> objects = render(dir);
        List<NetworkPolicy> lab = selecting(objects, LABS, labPodLabels(VmNetwork.INTERNET));
        assertNoIngressAndNoClusterEgress(lab);
        assertTrue(lab.stream().flatMap(p -> rules(p.getSpec().getEgress()).stream()).flatMap(r -> peers(r.getTo()).stream())
                .anyMatch(peer -> peer.getIpBlock() != null && "0.0.0.0/0".equals(peer.getIpBlock().getCidr())), "the internet is allowed");
        for (VmNetwork closed : List.of(VmNetwork.ISOLATED, VmNetwork.NONE)) {
            assertTrue(selecting(objects, LABS, labPodLabels(closed)).stream().allMatch(p -> rules(p.getSpec().getEgress()).isEmpty()),
                    "a " + closed.value() + " lab gets no egress even with the opt-in");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theControllerAcceptsHttpFromTheIngressControllerAndItsPeersAndManagementFromTheCluster(String overlay) throws Exception {
        List<HasMetadata> objects = render(DEPLOY.resolve("overlays/" + overlay).toAbsolutePath());
        Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
        List<NetworkPolicy> controller = selecting(objects, CONTROLLER, deployment.getSpec().getTemplate().getMetadata().getLabels());
        assertEquals(1, controller.size(), names(objects));
        NetworkPolicy policy = controller.get(0);
        assertTrue(policy.getSpec().getPolicyTypes().contains("Ingress"));
        for (NetworkPolicyIngressRule rule : rules(policy.getSpec().getIngress())) {
            List<String> ports = rule.getPorts() == null ? List.of() : rule.getPorts().stream().map(KubevirtNetworkPolicyTest::port).toList();
            assertFalse(ports.isEmpty(), "every rule names its ports");
            boolean fromAnyNamespace = peers(rule.getFrom()).isEmpty() || peers(rule.getFrom()).stream()
                    .anyMatch(p -> p.getIpBlock() != null || p.getNamespaceSelector() != null && empty(p.getNamespaceSelector()));
            if (ports.contains("http")) {
                assertFalse(fromAnyNamespace, "http only from the ingress controller and the other replicas");
                var controllerPods = deployment.getSpec().getTemplate().getMetadata().getLabels();
                assertTrue(peers(rule.getFrom()).stream().allMatch(p -> p.getNamespaceSelector() != null && p.getPodSelector() != null
                        && !empty(p.getPodSelector())
                        || p.getNamespaceSelector() == null && p.getPodSelector() != null && selects(p.getPodSelector(), controllerPods)),
                        "the ingress controller's namespace and pods, or the controller's own pods (relayed streams)");
            } else {
                assertEquals(List.of("management"), ports, "from the cluster, the management port only");
            }
        }
        assertFalse(selects(policy.getSpec().getPodSelector(), labPodLabels()), "lab pods are not the controller's");
    }

    /** No policy lets anything in; none lets a lab reach the controller, the API server's networks or another lab. */
    private static void assertNoIngressAndNoClusterEgress(List<NetworkPolicy> policies) {
        assertFalse(policies.isEmpty(), "some policy selects lab pods");
        for (NetworkPolicy policy : policies) {
            String name = policy.getMetadata().getName();
            assertTrue(rules(policy.getSpec().getIngress()).isEmpty(), name + " allows no ingress");
            for (NetworkPolicyEgressRule rule : rules(policy.getSpec().getEgress())) {
                assertFalse(peers(rule.getTo()).isEmpty(), name + ": an egress rule without peers allows everything");
                for (NetworkPolicyPeer peer : peers(rule.getTo())) {
                    if (peer.getIpBlock() != null) {
                        List<String> except = peer.getIpBlock().getExcept() == null ? List.of() : peer.getIpBlock().getExcept();
                        for (String range : PRIVATE) {
                            assertTrue(!contains(peer.getIpBlock().getCidr(), range) || except.contains(range),
                                    name + ": " + peer.getIpBlock().getCidr() + " must except the cluster's range " + range);
                        }
                    } else if (peer.getNamespaceSelector() == null) {
                        fail(name, "a pod selector alone means other labs in the labs' namespace");
                    } else {
                        assertFalse(selects(peer.getNamespaceSelector(), namespaceLabels(CONTROLLER)),
                                name + " denies egress to the controller's namespace");
                        assertFalse(selects(peer.getNamespaceSelector(), namespaceLabels(LABS))
                                && (peer.getPodSelector() == null || selects(peer.getPodSelector(), labPodLabels())),
                                name + " denies egress to other labs");
                    }
                }
            }
        }
    }

    private static void fail(String name, String why) {
        throw new AssertionError(name + ": " + why);
    }

    /** The labels of a lab's virt-launcher pod: the VM template's, as the builder writes them, and KubeVirt's own. */
    private static Map<String, String> labPodLabels() {
        return labPodLabels(VmNetwork.DEFAULT);
    }

    private static Map<String, String> labPodLabels(VmNetwork mode) {
        GenericKubernetesResource vm = new VirtualMachineBuilder(LABS, "IfNotPresent", "default")
                .desired(Labs.spec(Labs.newLabId()).withNetwork(mode), VirtualMachineBuilder.RunStrategy.Always);
        Map<String, String> labels = new HashMap<>(vm.get("spec", "template", "metadata", "labels"));
        labels.put("kubevirt.io", "virt-launcher");
        labels.put("vm.kubevirt.io/name", vm.getMetadata().getName());
        return labels;
    }

    private static Map<String, String> namespaceLabels(String namespace) {
        return Map.of("kubernetes.io/metadata.name", namespace);
    }

    private static List<NetworkPolicy> selecting(List<HasMetadata> objects, String namespace, Map<String, String> podLabels) {
        return objects.stream().filter(NetworkPolicy.class::isInstance).map(NetworkPolicy.class::cast)
                .filter(p -> namespace.equals(p.getMetadata().getNamespace()))
                .filter(p -> selects(p.getSpec().getPodSelector(), podLabels)).toList();
    }

    /** A label selector's decision, as the API server defines it (an empty selector selects everything). */
    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        Map<String, String> match = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        if (!match.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
            return false;
        }
        for (LabelSelectorRequirement r : selector.getMatchExpressions() == null ? List.<LabelSelectorRequirement>of() : selector.getMatchExpressions()) {
            String value = labels.get(r.getKey());
            boolean ok = switch (r.getOperator()) {
                case "In" -> value != null && r.getValues().contains(value);
                case "NotIn" -> value == null || !r.getValues().contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new IllegalArgumentException(r.getOperator());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean empty(LabelSelector selector) {
        return (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
    }

    /** Whether the IPv4 block {@code outer} contains the block {@code inner}. */
    static boolean contains(String outer, String inner) {
        if (outer.contains(":")) {
            return false; // an IPv6 block never holds IPv4 ranges
        }
        int outerBits = Integer.parseInt(outer.split("/")[1]);
        int innerBits = Integer.parseInt(inner.split("/")[1]);
        long mask = outerBits == 0 ? 0 : (0xFFFFFFFFL << (32 - outerBits)) & 0xFFFFFFFFL;
        return innerBits >= outerBits && (address(outer) & mask) == (address(inner) & mask);
    }

    private static long address(String cidr) {
        long value = 0;
        for (String octet : cidr.split("/")[0].split("\\.")) {
            value = value << 8 | Integer.parseInt(octet);
        }
        return value;
    }

    private static String port(NetworkPolicyPort port) {
        return port.getPort() == null ? "any" : port.getPort().getStrVal() != null ? port.getPort().getStrVal()
                : port.getPort().getIntVal().toString();
    }

    private static <T> List<T> rules(List<T> rules) {
        return rules == null ? List.of() : rules;
    }

    private static List<NetworkPolicyPeer> peers(List<NetworkPolicyPeer> peers) {
        return peers == null ? List.of() : peers;
    }

    private static String names(List<HasMetadata> objects) {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()).toList().toString();
    }

    private static List<HasMetadata> render(Path kustomization) throws Exception {
        Path kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(dir -> Path.of(dir, "kubectl")).filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(kubectl != null, "kubectl is not installed: overlays not rendered");
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", kustomization.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : output.split("(?m)^---\\s*$")) {
            if (document.lines().anyMatch(l -> !l.isBlank() && !l.startsWith("#"))) {
                objects.add(Serialization.unmarshal(document));
            }
        }
        return objects;
    }
}
