package org.labcontroller.runtime;

/**
 * Everything a runtime needs to build one lab's machine, copied from the lab and its template at
 * the time of the call, so adapters never read the database. {@code restartGeneration} is the
 * lab's current restart request: a runtime records it with each launch and restart and treats a
 * restart to a generation it has already reached as done; {@code readiness} says
 * when the machine counts as usable ({@link Readiness#IMMEDIATE} when null), {@code network} is the
 * template's network mode (the safe default when null). {@code templateId} names the template the
 * machine is built from (null when it has none), so a runtime can keep state per template (the QEMU
 * runtime's warm start) and drop it when the template changes.
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
        Readiness readiness,
        VmNetwork network,
        String templateId) {

    public VmSpec {
        readiness = readiness == null ? Readiness.IMMEDIATE : readiness;
        network = network == null ? VmNetwork.DEFAULT : network;
    }

    public VmSpec(String labId, String owner, VmImage image, int cpus, int memoryMb, String cloudInit,
            boolean console, boolean vnc, int restartGeneration, Readiness readiness, VmNetwork network) {
        this(labId, owner, image, cpus, memoryMb, cloudInit, console, vnc, restartGeneration, readiness, network, null);
    }

    public VmSpec(String labId, String owner, VmImage image, int cpus, int memoryMb, String cloudInit,
            boolean console, boolean vnc, int restartGeneration) {
        this(labId, owner, image, cpus, memoryMb, cloudInit, console, vnc, restartGeneration, Readiness.IMMEDIATE,
                VmNetwork.DEFAULT);
    }

    public VmSpec(String labId, String owner, VmImage image, int cpus, int memoryMb, String cloudInit,
            boolean console, boolean vnc, int restartGeneration, Readiness readiness) {
        this(labId, owner, image, cpus, memoryMb, cloudInit, console, vnc, restartGeneration, readiness, VmNetwork.DEFAULT);
    }

    public VmSpec(String labId, String owner, VmImage image, int cpus, int memoryMb, String cloudInit,
            boolean console, boolean vnc, int restartGeneration, VmNetwork network) {
        this(labId, owner, image, cpus, memoryMb, cloudInit, console, vnc, restartGeneration, Readiness.IMMEDIATE, network);
    }

    public VmSpec(String labId, String owner, VmImage image, int cpus, int memoryMb, String cloudInit,
            boolean console, boolean vnc) {
        this(labId, owner, image, cpus, memoryMb, cloudInit, console, vnc, 0);
    }

    /** This spec with another network mode. */
    public VmSpec withNetwork(VmNetwork mode) {
        return new VmSpec(labId, owner, image, cpus, memoryMb, cloudInit, console, vnc, restartGeneration, readiness, mode,
                templateId);
    }

    /** This spec for another lab id (the QEMU runtime's warm-up machine of a template). */
    public VmSpec withLabId(String id) {
        return new VmSpec(id, owner, image, cpus, memoryMb, cloudInit, console, vnc, restartGeneration, readiness, network,
                templateId);
    }

    /** This spec built from template {@code id}. */
    public VmSpec withTemplate(String id) {
        return new VmSpec(labId, owner, image, cpus, memoryMb, cloudInit, console, vnc, restartGeneration, readiness, network,
                id);
    }
}
