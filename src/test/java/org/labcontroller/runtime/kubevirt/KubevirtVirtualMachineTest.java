package org.labcontroller.runtime.kubevirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.labcontroller.runtime.InvalidImageException;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.runtime.VmNetwork;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.kubevirt.VirtualMachineBuilder.RunStrategy;

/** The VirtualMachine builder's narrow comparison, and the checks of template images for KubeVirt. */
class KubevirtVirtualMachineTest {
    private final VirtualMachineBuilder builder = new VirtualMachineBuilder("labs", "IfNotPresent", "default");

    @Test
    void defaultsTheClusterAddsDoNotCountAsDrift() {
        VmSpec spec = Labs.spec(Labs.newLabId());
        GenericKubernetesResource live = copy(builder.desired(spec, RunStrategy.RerunOnFailure));
        Map<String, Object> domain = live.get("spec", "template", "spec", "domain");
        domain.put("machine", Map.of("type", "q35"));
        domain.put("firmware", Map.of("uuid", "5d307ca9-b3ef-428c-8861-06e72d69f223"));
        live.getMetadata().getLabels().put("kubevirt.io/some-label", "x");
        live.setAdditionalProperty("status", Map.of("printableStatus", "Running"));
        assertTrue(OwnedFields.matches(live, builder.desired(spec, RunStrategy.Halted)));
    }

    @Test
    void networkNoneHasNoPodInterfaceAndTheModeIsALabelAndDrift() {
        String lab = Labs.newLabId();
        GenericKubernetesResource none = builder.desired(Labs.spec(lab).withNetwork(VmNetwork.NONE), RunStrategy.Always);
        assertEquals(false, none.get("spec", "template", "spec", "domain", "devices", "autoattachPodInterface"));
        assertEquals("none", none.get("spec", "template", "metadata", "labels", "lab-controller.dev/network"));
        GenericKubernetesResource internet = builder.desired(Labs.spec(lab).withNetwork(VmNetwork.INTERNET), RunStrategy.Always);
        assertEquals(true, internet.get("spec", "template", "spec", "domain", "devices", "autoattachPodInterface"));
        assertFalse(OwnedFields.matches(internet, none));
        assertFalse(OwnedFields.matches(internet, builder.desired(Labs.spec(lab), RunStrategy.Always)));
    }

    @Test
    void aChangedImageCpuOrStreamIsDrift() {
        String lab = Labs.newLabId();
        GenericKubernetesResource desired = builder.desired(Labs.spec(lab), RunStrategy.RerunOnFailure);
        assertFalse(OwnedFields.matches(builder.desired(Labs.spec(lab, true, false, null), RunStrategy.RerunOnFailure), desired));
        VmSpec otherImage = new VmSpec(lab, "alice", new VmImage(null, null, null, null, "quay.io/x/y:2"), 2, 1024,
                "#cloud-config\npassword: lab\n", true, true);
        assertFalse(OwnedFields.matches(builder.desired(otherImage, RunStrategy.RerunOnFailure), desired));
    }

    @Test
    void aScreenGetsAnAbsolutePointerSoTheCursorDoesNotDrift() {
        GenericKubernetesResource withScreen = builder.desired(Labs.spec(Labs.newLabId()), RunStrategy.RerunOnFailure);
        assertEquals(java.util.List.of(Map.of("name", "tablet", "type", "tablet", "bus", "usb")),
                withScreen.get("spec", "template", "spec", "domain", "devices", "inputs"));
        GenericKubernetesResource consoleOnly = builder.desired(Labs.spec(Labs.newLabId(), true, false, null), RunStrategy.RerunOnFailure);
        assertEquals(null, (Object) consoleOnly.get("spec", "template", "spec", "domain", "devices", "inputs"));
    }

    @Test
    void memoryIsComparedAsAQuantity() {
        VmSpec spec = Labs.spec(Labs.newLabId());
        GenericKubernetesResource live = copy(builder.desired(spec, RunStrategy.RerunOnFailure));
        Map<String, Object> requests = live.get("spec", "template", "spec", "domain", "resources", "requests");
        requests.put("memory", "1024Mi");
        assertTrue(OwnedFields.matches(live, builder.desired(spec, RunStrategy.RerunOnFailure)));
        assertEquals("1536Mi", VirtualMachineBuilder.memory(1536));
    }

    @Test
    void ownerLabelsAreSafeLabelValues() {
        assertEquals("a.b_c", KubevirtObjects.labelValue("a.b c"));
        assertEquals(63, KubevirtObjects.labelValue("x".repeat(70)).length());
        assertEquals("x", KubevirtObjects.labelValue("x-"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"quay.io/containerdisks/fedora:40", "fedora", "registry:5000/a/b_c:v1.0",
            "docker.io/kubevirt/cirros-container-disk-demo@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "[::1]:5000/x:y"})
    void validContainerDisksAreAccepted(String reference) throws InvalidImageException {
        ContainerDiskImage.validate(new VmImage(null, null, null, null, reference));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Quay.io/UPPER/case", "quay.io/a:", "quay.io/a@sha256:short", "a b", "http://quay.io/a", "quay.io//a"})
    void malformedContainerDisksNameTheField(String reference) {
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> ContainerDiskImage.validate(new VmImage(null, null, null, null, reference)));
        assertEquals("image.containerDisk", e.field());
    }

    @Test
    void aMissingContainerDiskOrALocalFileIsRefused() {
        assertEquals("image.containerDisk", assertThrows(InvalidImageException.class,
                () -> ContainerDiskImage.validate(new VmImage(null, null, null, null, " "))).field());
        assertEquals("image.kernel", assertThrows(InvalidImageException.class,
                () -> ContainerDiskImage.validate(new VmImage("vmlinuz", null, null, null, Labs.IMAGE))).field());
        assertEquals("image.disk", assertThrows(InvalidImageException.class,
                () -> ContainerDiskImage.validate(new VmImage(null, null, "disk.qcow2", null, Labs.IMAGE))).field());
    }

    private static GenericKubernetesResource copy(GenericKubernetesResource vm) {
        return Serialization.unmarshal(Serialization.asJson(vm), GenericKubernetesResource.class);
    }
}
