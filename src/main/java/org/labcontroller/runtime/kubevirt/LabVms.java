package org.labcontroller.runtime.kubevirt;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.StreamUnavailableException;

/**
 * Which VirtualMachine is a lab's. A VM the controller created for a lab is named after it
 * ({@code lab-<id>}); a pooled VM claimed by a lab keeps its pool name (Kubernetes cannot rename),
 * so a lab's VM is found by its {@code lab-id} label in the informer's index, and, until the watch
 * delivers a claim this replica just made, by that claim. Without either, the lab's own name.
 */
final class LabVms {
    private final VmCache cache;
    // NOTE: written by the worker that claims for a lab (one per lab, by the work queue), read by any;
    // an entry is dropped when the lab's VM is deleted.
    private final Map<String, String> claims = new ConcurrentHashMap<>();

    LabVms(VmCache cache) {
        this.cache = cache;
    }

    /**
     * The name of the lab's VM (which may not exist).
     *
     * @throws IllegalArgumentException when the lab id cannot name a Kubernetes object
     */
    String name(String labId) {
        String own = KubevirtObjects.vmName(labId);
        String labelled = cache.vmNameOfLab(labId);
        if (labelled != null) {
            return labelled;
        }
        return claims.getOrDefault(labId, own);
    }

    /** Whether a VM other than the lab's own-named one is known to be the lab's. */
    boolean claimed(String labId) {
        String name = name(labId);
        return !name.equals(KubevirtObjects.vmName(labId));
    }

    /** The name of the lab's running instance that offers {@code kind}, seen in the informer cache. */
    String runningInstance(String labId, StreamKind kind) throws StreamUnavailableException {
        String name;
        try {
            name = name(labId);
        } catch (IllegalArgumentException e) {
            throw new StreamUnavailableException("Lab " + labId + " is not running.");
        }
        GenericKubernetesResource vmi = cache.vmi(name);
        if (vmi == null || !"Running".equals(vmi.get("status", "phase"))) {
            throw new StreamUnavailableException("Lab " + labId + " is not running.");
        }
        String device = kind == StreamKind.CONSOLE ? "autoattachSerialConsole" : "autoattachGraphicsDevice";
        if (Boolean.FALSE.equals(vmi.get("spec", "domain", "devices", device))) {
            throw new StreamUnavailableException("Lab " + labId + " does not offer a "
                    + (kind == StreamKind.CONSOLE ? "console" : "vnc") + " stream.");
        }
        return name;
    }

    void claim(String labId, String vmName) {
        claims.put(labId, vmName);
    }

    void forget(String labId) {
        claims.remove(labId);
    }
}
