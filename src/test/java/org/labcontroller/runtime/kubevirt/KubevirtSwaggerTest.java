package org.labcontroller.runtime.kubevirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.labcontroller.runtime.kubevirt.VirtualMachineBuilder.RunStrategy;

/** Every VirtualMachine the builder makes is valid against KubeVirt's published v1.VirtualMachine schema. */
class KubevirtSwaggerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final VirtualMachineBuilder builder = new VirtualMachineBuilder(FakeKubevirt.NAMESPACE, "IfNotPresent", "default");

    @ParameterizedTest
    @CsvSource({"true,true,#cloud-config,RerunOnFailure", "true,false,,Halted", "false,true,,RerunOnFailure", "false,false,#cloud-config,Halted"})
    void everyBuiltVirtualMachineValidates(boolean console, boolean vnc, String cloudInit, RunStrategy strategy) {
        GenericKubernetesResource vm = builder.desired(Labs.spec(Labs.newLabId(), console, vnc, cloudInit), strategy);
        assertEquals(List.of(), KubevirtSwagger.get().validate("v1.VirtualMachine", json(vm)));
        assertEquals(List.of(), KubevirtAdmission.refusals(vm), "virt-api's admission would refuse it");
    }

    @Test
    void aRealisticCloudConfigPassesKubevirtsAdmissionAndTheInlineFormWouldNot() {
        String cloudConfig = "#cloud-config\nusers:\n" + "  - name: student\n    ssh_authorized_keys: [ssh-ed25519 AAAA]\n".repeat(60);
        GenericKubernetesResource vm = builder.desired(Labs.spec(Labs.newLabId(), true, true, cloudConfig), RunStrategy.RerunOnFailure);
        assertEquals(List.of(), KubevirtAdmission.refusals(vm));
        List<Object> volumes = new java.util.ArrayList<>(vm.<List<Object>>get("spec", "template", "spec", "volumes"));
        volumes.set(1, Map.of("name", "cloudinit", "cloudInitNoCloud", Map.of("userData", cloudConfig))); // the builder before
        vm.<Map<String, Object>>get("spec", "template", "spec").put("volumes", volumes);
        assertEquals(List.of("userdata exceeds 2048 byte limit. Should use UserDataSecretRef for larger data"),
                KubevirtAdmission.refusals(vm));
    }

    @Test
    void theValidatorCatchesUnknownFieldsWrongTypesAndMissingFields() {
        ObjectNode vm = (ObjectNode) json(builder.desired(Labs.spec(Labs.newLabId()), RunStrategy.RerunOnFailure));
        ObjectNode domain = (ObjectNode) vm.at("/spec/template/spec/domain");
        domain.put("cpus", 2);
        ((ObjectNode) domain.get("cpu")).put("cores", "two");
        ((ObjectNode) vm.at("/spec/template/spec/volumes/0")).remove("name");
        assertEquals(List.of(
                "v1.VirtualMachine.spec.template.spec.domain.cpu.cores: expected \"integer\" but found STRING",
                "v1.VirtualMachine.spec.template.spec.domain.cpus: unknown field",
                "v1.VirtualMachine.spec.template.spec.volumes[0]: required field name is missing"),
                KubevirtSwagger.get().validate("v1.VirtualMachine", vm).stream().sorted().toList());
    }

    @Test
    void theRuntimesPathsExistInKubevirtsApi() {
        KubevirtSwagger swagger = KubevirtSwagger.get();
        String ns = FakeKubevirt.NAMESPACE;
        assertTrue(swagger.hasOperation("GET", "/apis/kubevirt.io/v1/namespaces/" + ns + "/virtualmachines"));
        assertTrue(swagger.hasOperation("PATCH", "/apis/kubevirt.io/v1/namespaces/" + ns + "/virtualmachines/lab-1"));
        assertTrue(swagger.hasOperation("PUT", "/" + KubevirtObjects.subresourcePath(ns, KubevirtObjects.VM, "lab-1", "restart")));
        assertTrue(swagger.hasOperation("GET", "/" + KubevirtObjects.subresourcePath(ns, KubevirtObjects.VMI, "lab-1", "console")));
        assertTrue(swagger.hasOperation("GET", "/" + KubevirtObjects.subresourcePath(ns, KubevirtObjects.VMI, "lab-1", "vnc")));
        assertFalse(swagger.hasOperation("PATCH", "/" + KubevirtObjects.subresourcePath(ns, KubevirtObjects.VM, "lab-1", "restart")));
    }

    private static JsonNode json(Object object) {
        try {
            return JSON.readTree(Serialization.asJson(object));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
