package org.labcontroller.runtime;

/**
 * Everything a runtime needs to build one lab's machine, copied from the lab and its template at
 * the time of the call, so adapters never read the database. {@code restartGeneration} is the
 * lab's current restart request: a runtime records it with each launch and restart and treats a
 * restart to a generation it has already reached as done; {@code readiness} says
 * when the machine counts as usable ({@link Readiness#IMMEDIATE} when null).
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
        Readiness readiness) {

    public VmSpec {
        readiness = readiness == null ? Readiness.IMMEDIATE : readiness;
    }

    public VmSpec(String labId, String owner, VmImage image, int cpus, int memoryMb, String cloudInit,
            boolean console, boolean vnc, int restartGeneration) {
        this(labId, owner, image, cpus, memoryMb, cloudInit, console, vnc, restartGeneration, Readiness.IMMEDIATE);
    }

    public VmSpec(String labId, String owner, VmImage image, int cpus, int memoryMb, String cloudInit,
            boolean console, boolean vnc) {
        this(labId, owner, image, cpus, memoryMb, cloudInit, console, vnc, 0);
    }
}
