package org.labcontroller.runtime.kubevirt;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The RBAC rules of {@code deploy/base} and a decision for each API request, made the way the API
 * server's authorizer makes it: the path gives group, namespace, resource, name and subresource, the
 * method (and {@code watch=true}) gives the verb.
 */
final class RbacRules {
    static final Path BASE = Path.of("deploy", "base");

    /** One HTTP request to the API. */
    record ApiCall(String method, String path) {
        String pathOnly() {
            int q = path.indexOf('?');
            return q < 0 ? path : path.substring(0, q);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** What the authorizer sees of a request. */
    record Attributes(String group, String namespace, String resource, String subresource, String name, String verb) {
    }

    private record Grant(PolicyRule rule, String namespace) {
    }

    private final List<Grant> grants = new ArrayList<>();

    /**
     * The rules of deploy/base (both parts, controller/ and labs/) as its bindings grant them: a Role in its namespace, a ClusterRole in
     * the namespace of each RoleBinding that refers to it (and everywhere only through a
     * ClusterRoleBinding, which deploy/base has none of).
     */
    static RbacRules fromDeployBase() {
        RbacRules rules = new RbacRules();
        Map<String, List<PolicyRule>> clusterRoles = new java.util.HashMap<>();
        try (var files = Files.walk(BASE)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).toList()) {
                HasMetadata object = load(file);
                if (object instanceof ClusterRole role) {
                    clusterRoles.put(role.getMetadata().getName(), role.getRules());
                } else if (object instanceof Role role) {
                    role.getRules().forEach(r -> rules.grants.add(new Grant(r, role.getMetadata().getNamespace())));
                }
            }
            try (var again = Files.walk(BASE)) {
                for (Path file : again.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).toList()) {
                    HasMetadata object = load(file);
                    if (object instanceof RoleBinding binding && "ClusterRole".equals(binding.getRoleRef().getKind())) {
                        clusterRoles.getOrDefault(binding.getRoleRef().getName(), List.of())
                                .forEach(r -> rules.grants.add(new Grant(r, binding.getMetadata().getNamespace())));
                    } else if (object instanceof ClusterRoleBinding binding) {
                        clusterRoles.getOrDefault(binding.getRoleRef().getName(), List.of())
                                .forEach(r -> rules.grants.add(new Grant(r, null)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rules;
    }

    /** Whether some rule allows the request. */
    boolean allows(ApiCall call) {
        Attributes a = attributes(call);
        for (Grant grant : grants) {
            PolicyRule r = grant.rule();
            boolean inScope = grant.namespace() == null || grant.namespace().equals(a.namespace());
            String resource = a.subresource() == null ? a.resource() : a.resource() + "/" + a.subresource();
            boolean named = r.getResourceNames() == null || r.getResourceNames().isEmpty()
                    || r.getResourceNames().contains(a.name());
            if (inScope && named && matches(r.getApiGroups(), a.group()) && matches(r.getResources(), resource)
                    && matches(r.getVerbs(), a.verb())) {
                return true;
            }
        }
        return false;
    }

    static Attributes attributes(ApiCall call) {
        List<String> parts = new ArrayList<>(Arrays.asList(call.pathOnly().replaceFirst("^/", "").split("/")));
        String group;
        if ("api".equals(parts.get(0))) {
            group = "";
            parts = parts.subList(2, parts.size());
        } else if ("apis".equals(parts.get(0))) {
            group = parts.get(1);
            parts = parts.subList(3, parts.size());
        } else {
            throw new IllegalArgumentException("Not a resource request: " + call);
        }
        String namespace = null;
        if (parts.size() >= 3 && "namespaces".equals(parts.get(0))) {
            namespace = parts.get(1);
            parts = parts.subList(2, parts.size());
        }
        String resource = parts.get(0);
        String name = parts.size() > 1 ? parts.get(1) : null;
        // KubeVirt's virt-api authorizes a nested subresource (vnc/screenshot) by its whole path.
        String subresource = parts.size() <= 2 ? null
                : "subresources.kubevirt.io".equals(group) ? String.join("/", parts.subList(2, parts.size())) : parts.get(2);
        boolean watch = call.path().contains("watch=true");
        String verb = switch (call.method()) {
            case "GET" -> name != null ? "get" : watch ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name != null ? "delete" : "deletecollection";
            default -> call.method().toLowerCase();
        };
        return new Attributes(group, namespace, resource, subresource, name, verb);
    }

    private static boolean matches(List<String> allowed, String value) {
        return allowed != null && (allowed.contains("*") || allowed.contains(value));
    }

    private static HasMetadata load(Path file) {
        try {
            return Serialization.unmarshal(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
