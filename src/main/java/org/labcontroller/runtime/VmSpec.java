package org.labcontroller.runtime;

/**
 * Everything a runtime needs to build one lab's machine, copied from the lab and its template at
 * the time of the call, so adapters never read the database. {@code restartGeneration} is the
 * lab's current restart request: a runtime records it with each launch and restart and treats a
 * restart to a generation it has already reached as done. {@code network} is the template's
 * network mode (the safe default when null).
 */
public record VmSpec(
        String labId,
        String owner,
        VmImage image,
        int cpus,
        int memoryMb,
        String cloudInit,
        boolean console,
        boolean vnc,
        int restartGeneration,
        VmNetwork network) {

    public VmSpec {
        network = network == null ? VmNetwork.DEFAULT : network;
    }

    public VmSpec(String labId, String owner, VmImage image, int cpus, int memoryMb, String cloudInit,
            boolean console, boolean vnc, int restartGeneration) {
        this(labId, owner, image, cpus, memoryMb, cloudInit, console, vnc, restartGeneration, VmNetwork.DEFAULT);
    }

    public VmSpec(String labId, String owner, VmImage image, int cpus, int memoryMb, String cloudInit,
            boolean console, boolean vnc) {
        this(labId, owner, image, cpus, memoryMb, cloudInit, console, vnc, 0);
    }

    /** This spec with another network mode. */
    public VmSpec withNetwork(VmNetwork mode) {
        return new VmSpec(labId, owner, image, cpus, memoryMb, cloudInit, console, vnc, restartGeneration, mode);
    }
}
