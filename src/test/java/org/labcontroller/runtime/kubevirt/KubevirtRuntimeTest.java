package org.labcontroller.runtime.kubevirt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmStatus;
import org.labcontroller.runtime.VmStatus.Phase;

/** The KubeVirt runtime's lifecycle and observation against a mock API server playing KubeVirt. */
class KubevirtRuntimeTest extends MockClusterTest {
    @Test
    void startCreatesAVirtualMachineWithTheLabsSpecAndLabels() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));

        GenericKubernetesResource vm = cluster.vm("lab-" + lab);
        assertEquals("RerunOnFailure", vm.get("spec", "runStrategy"));
        assertEquals(Map.of("app.kubernetes.io/managed-by", "lab-controller", "lab-controller.dev/installation", "default",
                "lab-controller.dev/lab-id", lab, "lab-controller.dev/owner", "alice", "lab-controller.dev/network", "isolated"),
                vm.getMetadata().getLabels());
        assertEquals(vm.getMetadata().getLabels(), vm.get("spec", "template", "metadata", "labels"),
                "the instance and its pod carry the same labels");
        assertEquals(lab, vm.get("spec", "template", "metadata", "labels", "lab-controller.dev/lab-id"));
        assertEquals(2, ((Number) vm.get("spec", "template", "spec", "domain", "cpu", "cores")).intValue());
        assertEquals("1Gi", vm.get("spec", "template", "spec", "domain", "resources", "requests", "memory"));
        assertEquals(Labs.IMAGE, vm.get("spec", "template", "spec", "volumes", 0, "containerDisk", "image"));
        assertEquals("lab-" + lab + "-cloudinit",
                vm.get("spec", "template", "spec", "volumes", 1, "cloudInitNoCloud", "secretRef", "name"));
        assertEquals(null, (Object) vm.get("spec", "template", "spec", "volumes", 1, "cloudInitNoCloud", "userData"),
                "no password in the VM, where whoever may read VMs would read it");
        assertEquals(true, vm.get("spec", "template", "spec", "domain", "devices", "autoattachSerialConsole"));
        assertEquals(true, vm.get("spec", "template", "spec", "domain", "devices", "autoattachGraphicsDevice"));
    }

    @Test
    void cloudInitLivesInASecretOwnedByTheVmWhateverItsSize() throws Exception {
        String lab = Labs.newLabId();
        String big = "#cloud-config\nwrite_files:\n  - path: /etc/motd\n    content: |\n      " + "x".repeat(60_000) + "\n";
        runtime.start(Labs.spec(lab, true, true, big));
        var secret = cluster.client().secrets().inNamespace(FakeKubevirt.NAMESPACE).withName("lab-" + lab + "-cloudinit").get();
        assertEquals(big, new String(java.util.Base64.getDecoder().decode(secret.getData().get("userdata")),
                java.nio.charset.StandardCharsets.UTF_8));
        GenericKubernetesResource vm = cluster.vm("lab-" + lab);
        assertEquals(vm.getMetadata().getUid(), secret.getMetadata().getOwnerReferences().get(0).getUid(),
                "Kubernetes deletes the Secret with its VM");
        runtime.start(Labs.spec(lab, true, true, "#cloud-config\nhostname: changed\n"));
        secret = cluster.client().secrets().inNamespace(FakeKubevirt.NAMESPACE).withName("lab-" + lab + "-cloudinit").get();
        assertEquals("#cloud-config\nhostname: changed\n", new String(java.util.Base64.getDecoder()
                .decode(secret.getData().get("userdata")), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void aStartThatChangesTheVmKeepsItsFirmwareIdentityAndAnAdminsTolerations() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        runtime.stop(lab);
        cluster.addClusterFields("lab-" + lab);
        runtime.start(Labs.spec(lab, true, false, null)); // the template changed: no screen, no cloud-init
        GenericKubernetesResource vm = cluster.vm("lab-" + lab);
        assertEquals("RerunOnFailure", vm.get("spec", "runStrategy"));
        assertEquals(false, vm.get("spec", "template", "spec", "domain", "devices", "autoattachGraphicsDevice"));
        assertEquals(null, (Object) vm.get("spec", "template", "spec", "domain", "devices", "inputs"));
        assertEquals("5d307ca9-b3ef-428c-8861-06e72d69f223", vm.get("spec", "template", "spec", "domain", "firmware", "uuid"),
                "the guest keeps its identity");
        assertEquals("labs", vm.get("spec", "template", "spec", "tolerations", 0, "key"));
    }

    @Test
    void startingAgainChangesNothingWhenTheVmIsAsDesired() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        String version = cluster.vm("lab-" + lab).getMetadata().getResourceVersion();
        int before = cluster.calls().size();
        runtime.start(Labs.spec(lab));
        assertEquals(version, cluster.vm("lab-" + lab).getMetadata().getResourceVersion());
        assertTrue(cluster.calls().subList(before, cluster.calls().size()).stream().noneMatch(c -> c.method().equals("PATCH")));
    }

    @Test
    void stopHaltsTheVmAndStartRunsItAgain() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        runtime.stop(lab);
        assertEquals("Halted", cluster.vm("lab-" + lab).get("spec", "runStrategy"));
        runtime.stop(lab);
        runtime.start(Labs.spec(lab));
        assertEquals("RerunOnFailure", cluster.vm("lab-" + lab).get("spec", "runStrategy"));
    }

    @Test
    void stoppingALabWhoseImageCannotBePulledHaltsItsVm() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        cluster.setVmStatus("lab-" + lab, "ErrImagePull", null);
        awaitPhase(lab, Phase.FAILED);
        runtime.stop(lab); // what the loop now does for a stopped lab whose machine failed
        assertEquals("Halted", cluster.vm("lab-" + lab).get("spec", "runStrategy"), "the pod gives up its reservation");
    }

    @Test
    void aVmAlreadyBeingDeletedIsNotDeletedAgain() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        cluster.addFinalizer("lab-" + lab);
        runtime.delete(lab);
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            VmStatus seen = runtime.observe(lab);
            return seen != null && String.valueOf(seen.reason()).contains("being removed");
        });
        runtime.delete(lab); // the loop looks again while KubeVirt finishes
        runtime.delete(lab);
        assertEquals(1, cluster.calls().stream().filter(c -> c.method().equals("DELETE")).count(), "one DELETE per VM");
    }

    @Test
    void stoppingALabWithoutVmIsANoOp() throws Exception {
        runtime.stop(Labs.newLabId());
        runtime.delete(Labs.newLabId());
    }

    @Test
    void startAppliesAChangedTemplateToAnExistingVm() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        runtime.stop(lab);
        runtime.start(Labs.spec(lab, true, false, null));
        GenericKubernetesResource vm = cluster.vm("lab-" + lab);
        assertEquals("RerunOnFailure", vm.get("spec", "runStrategy"));
        assertEquals(false, vm.get("spec", "template", "spec", "domain", "devices", "autoattachGraphicsDevice"));
        List<Object> volumes = vm.get("spec", "template", "spec", "volumes");
        assertEquals(1, volumes.size(), volumes::toString);
    }

    @Test
    void restartOfARunningLabUsesKubevirtsRestartAction() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        cluster.runInstance("lab-" + lab, "Running", null);
        runtime.restart(Labs.restart(lab, 1));
        assertEquals(List.of("lab-" + lab), cluster.restarts());
        assertNull(cluster.vmi("lab-" + lab), "KubeVirt replaces the instance");
    }

    @Test
    void theClusterTellsTheLoopWhichLabChanged() throws Exception {
        java.util.Set<String> changed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        runtime.watch(changed::add);
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        cluster.runInstance("lab-" + lab, "Running", null);
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> changed.contains(lab));
    }

    @Test
    void onceSyncedTheRuntimeStaysSyncedWhileItsWatchesAreDown() throws Exception {
        await().atMost(java.time.Duration.ofSeconds(10)).until(runtime::synced);
        runtime.close(); // the watches stop, as when the API server goes away
        org.junit.jupiter.api.Assertions.assertTrue(runtime.synced(), "readiness keeps the replica in service");
    }

    @Test
    void aRepeatedRestartOfTheSameGenerationRebootsOnce() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        cluster.runInstance("lab-" + lab, "Running", null);
        runtime.restart(Labs.restart(lab, 1));
        cluster.runInstance("lab-" + lab, "Running", null);
        runtime.restart(Labs.restart(lab, 1)); // the loop repeats a call after a crash or a lost write
        assertEquals(List.of("lab-" + lab), cluster.restarts());
        await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                runtime.observe(lab) != null && runtime.observe(lab).restartGeneration() == 1);
    }

    @Test
    void restartOfAStoppedLabStartsIt() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        runtime.stop(lab);
        runtime.restart(Labs.restart(lab, 1));
        assertEquals("RerunOnFailure", cluster.vm("lab-" + lab).get("spec", "runStrategy"));
        assertEquals(List.of(), cluster.restarts());
    }

    @Test
    void deleteRemovesTheVm() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        runtime.delete(lab);
        assertNull(cluster.vm("lab-" + lab));
        runtime.delete(lab);
    }

    @Test
    void observeFollowsKubevirtFromStartingToRunningToStopped() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        awaitPhase(lab, Phase.STARTING);
        cluster.setVmStatus("lab-" + lab, "Starting", null);
        cluster.runInstance("lab-" + lab, "Scheduling", null);
        awaitPhase(lab, Phase.STARTING);
        cluster.runInstance("lab-" + lab, "Running", null);
        cluster.setVmStatus("lab-" + lab, "Running", null);
        awaitPhase(lab, Phase.RUNNING);
        runtime.stop(lab);
        cluster.setVmStatus("lab-" + lab, "Stopping", null);
        awaitPhase(lab, Phase.STARTING);
        cluster.removeInstance("lab-" + lab);
        cluster.setVmStatus("lab-" + lab, "Stopped", null);
        awaitPhase(lab, Phase.STOPPED);
    }

    @Test
    void observeExplainsAnImagePullFailureInPlainWords() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        cluster.runInstance("lab-" + lab, "Scheduled", Map.of("type", "Ready", "status", "False",
                "reason", "ErrImagePull", "message", "manifest unknown"));
        cluster.setVmStatus("lab-" + lab, "ErrImagePull", null);
        VmStatus status = awaitPhase(lab, Phase.FAILED);
        assertEquals("The lab's disk image could not be pulled (ErrImagePull): manifest unknown", status.reason());
    }

    @Test
    void observeExplainsAnUnschedulableLab() throws Exception {
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        cluster.setVmStatus("lab-" + lab, "ErrorUnschedulable", Map.of("type", "Failure", "status", "True",
                "reason", "FailedCreate", "message", "0/3 nodes are available: 3 Insufficient memory."));
        VmStatus status = awaitPhase(lab, Phase.FAILED);
        assertEquals("No cluster node can run the lab now (ErrorUnschedulable): 0/3 nodes are available: 3 Insufficient memory.",
                status.reason());
    }

    @Test
    void aFreshRuntimeAdoptsExistingVmsAndListsOrphansByLabId() throws Exception {
        String kept = Labs.newLabId();
        String orphan = Labs.newLabId();
        runtime.start(Labs.spec(kept));
        runtime.start(Labs.spec(orphan));
        cluster.runInstance("lab-" + kept, "Running", null);
        cluster.setVmStatus("lab-" + kept, "Running", null);

        KubevirtRuntime restarted = new KubevirtRuntime(cluster.client(), Labs.config());
        try {
            await().atMost(WAIT).until(() -> observe(restarted).size() == 2);
            Map<String, VmStatus> seen = observe(restarted);
            assertEquals(Phase.RUNNING, seen.get(kept).phase());
            assertEquals(Phase.STARTING, seen.get(orphan).phase());
            restarted.delete(orphan);
            await().atMost(WAIT).until(() -> !observe(restarted).containsKey(orphan));
        } finally {
            restarted.close();
        }
    }

    @Test
    void observeIgnoresVmsTheControllerDoesNotManage() throws Exception {
        GenericKubernetesResource foreign = new VirtualMachineBuilder(FakeKubevirt.NAMESPACE, "Always", "default")
                .desired(Labs.spec(Labs.newLabId()), VirtualMachineBuilder.RunStrategy.Always);
        foreign.getMetadata().setName("someone-elses");
        foreign.getMetadata().getLabels().remove("app.kubernetes.io/managed-by");
        cluster.kubevirt().genericKubernetesResources(KubevirtObjects.VM).inNamespace(FakeKubevirt.NAMESPACE)
                .resource(foreign).create();
        String lab = Labs.newLabId();
        runtime.start(Labs.spec(lab));
        await().atMost(WAIT).until(() -> observe(runtime).containsKey(lab));
        assertEquals(List.of(lab), List.copyOf(observe(runtime).keySet()));
    }

    @Test
    void twoInstallationsInOneNamespaceEachObserveOnlyTheirOwnVms() throws Exception {
        KubevirtRuntime other = new KubevirtRuntime(cluster.client(), Labs.config("other"));
        try {
            String mine = Labs.newLabId();
            String theirs = Labs.newLabId();
            String mineLater = Labs.newLabId();
            runtime.start(Labs.spec(mine));
            other.start(Labs.spec(theirs));
            runtime.start(Labs.spec(mineLater));
            for (String lab : List.of(mine, theirs, mineLater)) {
                cluster.runInstance("lab-" + lab, "Running", null);
                cluster.setVmStatus("lab-" + lab, "Running", null);
            }
            // A watch delivers in order: once the last VM and instance are seen, the earlier ones were too.
            await().atMost(WAIT).until(() -> observe(runtime).containsKey(mineLater)
                    && observe(runtime).get(mineLater).phase() == Phase.RUNNING);
            await().atMost(WAIT).until(() -> observe(other).containsKey(theirs)
                    && observe(other).get(theirs).phase() == Phase.RUNNING);

            assertEquals(java.util.Set.of(mine, mineLater), observe(runtime).keySet(),
                    "the other installation's VM is not seen, so never deleted as an orphan");
            assertEquals(java.util.Set.of(theirs), observe(other).keySet());
            assertNull(runtime.observe(theirs));
            assertEquals("other", cluster.vm("lab-" + theirs).getMetadata().getLabels().get("lab-controller.dev/installation"));
            assertEquals("other", cluster.vmi("lab-" + theirs).getMetadata().getLabels().get("lab-controller.dev/installation"));
            assertEquals("other", cluster.client().secrets().inNamespace(FakeKubevirt.NAMESPACE)
                    .withName("lab-" + theirs + "-cloudinit").get().getMetadata().getLabels().get("lab-controller.dev/installation"));
            assertThrows(RuntimeFailure.class, () -> runtime.start(Labs.spec(theirs)),
                    "a VM of the same name that another installation owns is never changed");
            assertEquals("other", cluster.vm("lab-" + theirs).getMetadata().getLabels().get("lab-controller.dev/installation"));
        } finally {
            other.close();
        }
    }

    @Test
    void anInstallationIdThatIsNoLabelValueIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KubevirtRuntime(cluster.client(), Labs.config("no spaces")));
        assertThrows(IllegalArgumentException.class, () -> new KubevirtRuntime(cluster.client(), Labs.config("")));
    }

    @Test
    void readyOnceTheWatchesRun() {
        await().atMost(WAIT).until(runtime::ready);
    }

    private VmStatus awaitPhase(String lab, Phase phase) {
        await().atMost(WAIT).until(() -> {
            VmStatus s = observe(runtime).get(lab);
            return s != null && s.phase() == phase;
        });
        return observe(runtime).get(lab);
    }

    private static Map<String, VmStatus> observe(KubevirtRuntime runtime) {
        try {
            return runtime.observe();
        } catch (RuntimeFailure e) {
            return Map.of(); // still listing
        }
    }
}
