package org.labcontroller.runtime.kubevirt;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.labcontroller.runtime.Readiness;
import org.labcontroller.runtime.VmStatus;
import org.labcontroller.runtime.VmStatus.Phase;

/**
 * Turns what KubeVirt reports of a lab (the VirtualMachine's {@code printableStatus} and
 * conditions, the VirtualMachineInstance's phase and conditions, and for the {@code agent} readiness
 * its {@code AgentConnected} condition) into the runtime-neutral
 * {@link VmStatus}, with KubeVirt's failure reasons told in plain words. A pure function, so every
 * mapping is unit-tested without a cluster.
 */
final class VmStatusAggregator {
    static final String AGENT_WAITING = "Booting: waiting for the guest agent to connect.";
    static final String POWERED_OFF = "The lab's machine was shut down from inside (its instance Succeeded).";

    private VmStatusAggregator() {
    }

    /** The status of one lab; {@code vmi} is null when no instance exists. */
    static VmStatus status(String labId, GenericKubernetesResource vm, GenericKubernetesResource vmi) {
        String printable = vm.get("status", "printableStatus");
        String vmiPhase = vmi == null ? null : vmi.get("status", "phase");
        if (vm.getMetadata().getDeletionTimestamp() != null) {
            return new VmStatus(labId, Phase.STARTING, "The lab's machine is being removed.");
        }
        String failure = failure(printable, vm, vmi);
        if (failure != null) {
            return new VmStatus(labId, Phase.FAILED, failure);
        }
        if ("Failed".equals(vmiPhase)) {
            return new VmStatus(labId, Phase.FAILED,
                    withDetail("The lab's machine stopped unexpectedly (Failed)", message(vm, vmi, null)));
        }
        if (poweredOff(vm, vmi)) {
            return VmStatus.poweredOff(labId, POWERED_OFF, 0);
        }
        if (printable == null) {
            // A VM the KubeVirt controller has not looked at yet: its run strategy says where it goes.
            return VirtualMachineBuilder.runStrategy(vm) != VirtualMachineBuilder.RunStrategy.Halted
                    ? new VmStatus(labId, Phase.STARTING, null)
                    : new VmStatus(labId, Phase.STOPPED, null);
        }
        return switch (printable) {
            case "Running", "Paused", "Migrating" -> "Running".equals(vmiPhase)
                    ? running(labId, vm, vmi)
                    : new VmStatus(labId, Phase.STARTING, null);
            case "Stopped" -> new VmStatus(labId, Phase.STOPPED, null);
            // Still up, or on its way: neither stopped nor running yet.
            default -> new VmStatus(labId, Phase.STARTING, null);
        };
    }

    /**
     * Whether the guest of a {@code RerunOnFailure} VM shut itself down: its instance Succeeded (KubeVirt
     * then removes it and does not start another), or it is gone and KubeVirt, having processed this
     * run strategy ({@code status.runStrategy}), shows the VM Stopped. Not while a state change (a
     * restart's stop and start) is pending, and never for a VM halted by the controller.
     */
    static boolean poweredOff(GenericKubernetesResource vm, GenericKubernetesResource vmi) {
        List<?> pending = vm.get("status", "stateChangeRequests");
        if (VirtualMachineBuilder.runStrategy(vm) != VirtualMachineBuilder.RunStrategy.RerunOnFailure
                || pending != null && !pending.isEmpty()) {
            return false;
        }
        if (vmi != null) {
            return "Succeeded".equals(vmi.get("status", "phase"));
        }
        return "Stopped".equals(vm.get("status", "printableStatus"))
                && VirtualMachineBuilder.RunStrategy.RerunOnFailure.name().equals(vm.get("status", "runStrategy"));
    }

    /**
     * Whether KubeVirt has not yet carried out a halt of the VM: an instance is still there, or its
     * status still records {@code RerunOnFailure}. Setting {@code RerunOnFailure} again then would
     * start nothing, since KubeVirt starts such a VM only when it comes from another strategy.
     */
    static boolean haltPending(GenericKubernetesResource vm, GenericKubernetesResource vmi) {
        return vmi != null || VirtualMachineBuilder.RunStrategy.RerunOnFailure.name().equals(vm.get("status", "runStrategy"));
    }

    /**
     * A running instance, ready by the VM's readiness: {@code agent} once the instance's {@code
     * AgentConnected} condition is True (the guest agent answered virt-launcher), {@code none} at once.
     */
    private static VmStatus running(String labId, GenericKubernetesResource vm, GenericKubernetesResource vmi) {
        if (Readiness.AGENT.equals(VirtualMachineBuilder.readiness(vm))
                && conditions(vmi).stream().noneMatch(c -> "AgentConnected".equals(c.get("type")) && "True".equals(c.get("status")))) {
            return VmStatus.booting(labId, AGENT_WAITING, 0);
        }
        return new VmStatus(labId, Phase.RUNNING, null);
    }

    /** The plain-words sentence of a KubeVirt failure, or null when the VM is not failing. */
    private static String failure(String printable, GenericKubernetesResource vm, GenericKubernetesResource vmi) {
        if (printable == null) {
            return null;
        }
        String sentence = switch (printable) {
            case "ErrImagePull", "ImagePullBackOff", "InvalidImageName" -> "The lab's disk image could not be pulled";
            case "ErrorUnschedulable", "Unschedulable" -> "No cluster node can run the lab now";
            case "CrashLoopBackOff" -> "The lab's machine keeps crashing, so KubeVirt waits before starting it again";
            case "ErrorDataVolumeNotReady", "DataVolumeError" -> "The lab's data volume is not ready";
            case "ErrorPvcNotFound" -> "The lab's volume claim does not exist";
            case "Unknown" -> "The cluster node running the lab stopped reporting";
            default -> null;
        };
        return sentence == null ? null : withDetail(sentence + " (" + printable + ")", message(vm, vmi, printable));
    }

    /**
     * The most telling condition message: one whose reason is the printable status, then the VM's
     * Failure condition, then any false condition of the instance or the VM.
     */
    private static String message(GenericKubernetesResource vm, GenericKubernetesResource vmi, String reason) {
        List<Map<String, Object>> vmConditions = conditions(vm);
        List<Map<String, Object>> vmiConditions = conditions(vmi);
        for (List<Map<String, Object>> conditions : List.of(vmiConditions, vmConditions)) {
            for (Map<String, Object> c : conditions) {
                if (reason != null && reason.equals(c.get("reason")) && hasMessage(c)) {
                    return (String) c.get("message");
                }
            }
        }
        for (Map<String, Object> c : vmConditions) {
            if ("Failure".equals(c.get("type")) && hasMessage(c)) {
                return (String) c.get("message");
            }
        }
        for (List<Map<String, Object>> conditions : List.of(vmiConditions, vmConditions)) {
            for (Map<String, Object> c : conditions) {
                if ("False".equals(c.get("status")) && hasMessage(c)) {
                    return (String) c.get("message");
                }
            }
        }
        return null;
    }

    private static List<Map<String, Object>> conditions(GenericKubernetesResource object) {
        List<Map<String, Object>> conditions = object == null ? null : object.get("status", "conditions");
        return conditions == null ? List.of() : conditions;
    }

    private static boolean hasMessage(Map<String, Object> condition) {
        return condition.get("message") instanceof String m && !m.isBlank();
    }

    private static String withDetail(String sentence, String detail) {
        return detail == null ? sentence + "." : sentence + ": " + detail.strip();
    }
}
