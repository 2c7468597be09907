package org.labcontroller.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The manifests under deploy/ are Kubernetes objects, and each overlay renders with kubectl kustomize. */
class DeployManifestsTest {
    private static final Path DEPLOY = Path.of("deploy");
    private static final String LABS = "lab-controller-labs";

    @Test
    void everyManifestParsesAsNamedKubernetesObjects() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(DEPLOY)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (Path file : files) {
            for (String document : documents(Files.readString(file))) {
                if (file.getFileName().toString().equals("kustomization.yaml")) {
                    assertTrue(document.contains("kind: Kustomization") || document.contains("kind: Component"), file + " is a Kustomization or Component");
                    continue;
                }
                HasMetadata object = Serialization.unmarshal(document);
                assertNotNull(object.getApiVersion(), file + ": apiVersion");
                assertNotNull(object.getKind(), file + ": kind");
                assertNotNull(object.getMetadata().getName(), file + ": metadata.name");
            }
        }
    }

    @Test
    void theDeploymentRunsRestrictedWithProbesAndTheKubevirtRuntime() throws IOException {
        Deployment deployment = Serialization.unmarshal(Files.readString(DEPLOY.resolve("base/controller/deployment.yaml")));
        var pod = deployment.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertEquals(2, deployment.getSpec().getReplicas());
        assertEquals("lab-controller-account", pod.getServiceAccountName());
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem());
        assertFalse(container.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
        assertTrue(container.getEnv().stream().anyMatch(e -> e.getName().equals("LAB_RUNTIME") && "kubevirt".equals(e.getValue())));
        assertTrue(container.getEnv().stream().anyMatch(e -> e.getName().equals("LAB_DATABASE_PASSWORD")
                && e.getValueFrom().getSecretKeyRef() != null));
        assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")));
    }

    @Test
    void replicasSpreadAndADrainNeverTakesThemAll() throws IOException {
        Deployment deployment = Serialization.unmarshal(Files.readString(DEPLOY.resolve("base/controller/deployment.yaml")));
        var spread = deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
        assertTrue(spread.stream().anyMatch(c -> "kubernetes.io/hostname".equals(c.getTopologyKey())));
        io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget pdb =
                Serialization.unmarshal(Files.readString(DEPLOY.resolve("base/controller/poddisruptionbudget.yaml")));
        assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());
        try (Stream<Path> files = Files.walk(DEPLOY.resolve("base"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(file).contains("kind: ClusterRoleBinding"), file + ": no cluster-wide grant");
            }
        }
    }

    @Test
    void probesAndMetricsUseTheManagementPortWhichTheIngressNeverRoutes() throws IOException {
        Deployment deployment = Serialization.unmarshal(Files.readString(DEPLOY.resolve("base/controller/deployment.yaml")));
        var template = deployment.getSpec().getTemplate();
        var container = template.getSpec().getContainers().get(0);
        assertTrue(container.getPorts().stream().anyMatch(p -> "management".equals(p.getName()) && p.getContainerPort() == 9000));
        assertTrue(container.getPorts().stream().anyMatch(p -> "http".equals(p.getName()) && p.getContainerPort() == 8080));
        assertEquals("/q/health/ready", container.getReadinessProbe().getHttpGet().getPath());
        assertEquals("management", container.getReadinessProbe().getHttpGet().getPort().getStrVal());
        assertEquals("/q/health/live", container.getLivenessProbe().getHttpGet().getPath());
        assertEquals("management", container.getLivenessProbe().getHttpGet().getPort().getStrVal());
        assertEquals("9000", template.getMetadata().getAnnotations().get("prometheus.io/port"));
        assertEquals("/q/metrics", template.getMetadata().getAnnotations().get("prometheus.io/path"));

        Service service = Serialization.unmarshal(Files.readString(DEPLOY.resolve("base/controller/service.yaml")));
        assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> "management".equals(p.getName())
                && "management".equals(p.getTargetPort().getStrVal())));
        Ingress ingress = Serialization.unmarshal(Files.readString(DEPLOY.resolve("base/controller/ingress.yaml")));
        for (var rule : ingress.getSpec().getRules()) {
            for (var path : rule.getHttp().getPaths()) {
                assertEquals("http", path.getBackend().getService().getPort().getName(), "the Ingress routes only the public port");
            }
        }
    }

    @Test
    void theIngressKeepsStreamsOpenWithoutAffinityAndReplicasRelayToEachOther() throws IOException {
        Ingress ingress = Serialization.unmarshal(Files.readString(DEPLOY.resolve("base/controller/ingress.yaml")));
        var annotations = ingress.getMetadata().getAnnotations();
        assertEquals("3600", annotations.get("nginx.ingress.kubernetes.io/proxy-read-timeout"));
        assertEquals("3600", annotations.get("nginx.ingress.kubernetes.io/proxy-send-timeout"));
        assertFalse(annotations.containsKey("nginx.ingress.kubernetes.io/upstream-hash-by"), "no ingress-specific affinity");
        String patch = Files.readString(DEPLOY.resolve("overlays/postgresql/deployment-patch.yaml"));
        assertTrue(patch.contains("LAB_REPLICAS_ADDRESS") && patch.contains("$(POD_IP):8080") && patch.contains("LAB_REPLICAS_SECRET"),
                "replicas announce where their peers relay streams to");
        String policy = Files.readString(DEPLOY.resolve("base/controller/networkpolicy.yaml"));
        assertTrue(policy.contains("- podSelector:\n            matchLabels:\n              app.kubernetes.io/name: lab-controller"),
                "replicas may reach each other's http port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void eachOverlayRendersWithKubectl(String overlay) throws Exception {
        Path kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(dir -> Path.of(dir, "kubectl")).filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(kubectl != null, "kubectl is not installed: overlays not rendered");
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", DEPLOY.resolve("overlays/" + overlay).toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : documents(output)) {
            objects.add(Serialization.unmarshal(document));
        }
        Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .findFirst().orElseThrow();
        assertEquals(overlay.equals("sqlite") ? 1 : 2, deployment.getSpec().getReplicas());
        assertTrue(objects.stream().allMatch(o -> o.getKind().startsWith("Cluster") || o.getKind().equals("Namespace")
                || "lab-controller".equals(o.getMetadata().getNamespace()) || LABS.equals(o.getMetadata().getNamespace())),
                "namespaced objects land in lab-controller or the labs' namespace");
        assertEquals(List.of("lab-controller", LABS), objects.stream().filter(o -> o.getKind().equals("Namespace"))
                .map(o -> o.getMetadata().getName()).sorted().toList(), "both Namespaces, neither renamed");
        var env = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertEquals(LABS, env.stream().filter(e -> e.getName().equals("LAB_KUBEVIRT_NAMESPACE")).findFirst().orElseThrow().getValue(),
                "the controller creates its labs in the labs' namespace");
        assertEquals("metadata.namespace", env.stream().filter(e -> e.getName().equals("LAB_KUBEVIRT_LEADER_ELECTION_LEASE_NAMESPACE"))
                .findFirst().orElseThrow().getValueFrom().getFieldRef().getFieldPath(), "the Lease stays in the controller's namespace");
        List<String> inLabs = objects.stream().filter(o -> LABS.equals(o.getMetadata().getNamespace()))
                .map(o -> o.getKind() + "/" + o.getMetadata().getName()).sorted().toList();
        assertTrue(inLabs.containsAll(List.of("Role/lab-controller-cloud-init", "RoleBinding/lab-controller-cloud-init",
                "RoleBinding/lab-controller-kubevirt")), inLabs.toString());
        assertTrue(inLabs.stream().noneMatch(o -> o.startsWith("Deployment") || o.startsWith("Secret") || o.contains("leader-election")),
                "nothing of the controller itself lives with the labs: " + inLabs);
        for (HasMetadata o : objects) {
            if (o instanceof io.fabric8.kubernetes.api.model.rbac.RoleBinding binding) {
                assertEquals(List.of("lab-controller/lab-controller-account"), binding.getSubjects().stream()
                        .map(s -> s.getNamespace() + "/" + s.getName()).toList(), "the controller's service account");
            }
        }
        if (overlay.equals("sqlite")) {
            assertTrue(objects.stream().anyMatch(o -> o.getKind().equals("PersistentVolumeClaim")));
            assertNotNull(deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getName().equals("data")).findFirst().orElseThrow().getPersistentVolumeClaim());
        }
    }

    private static List<String> documents(String yaml) {
        return Stream.of(yaml.split("(?m)^---\\s*$")).filter(d -> d.lines().anyMatch(l -> !l.isBlank() && !l.startsWith("#"))).toList();
    }
}
