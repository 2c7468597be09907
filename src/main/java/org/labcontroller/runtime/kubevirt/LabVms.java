package org.labcontroller.runtime.kubevirt;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

    void claim(String labId, String vmName) {
        claims.put(labId, vmName);
    }

    void forget(String labId) {
        claims.remove(labId);
    }
}
