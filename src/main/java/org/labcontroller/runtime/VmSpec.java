package org.labcontroller.runtime;

/**
 * Everything a runtime needs to build one lab's machine, copied from the lab and its template at
 * the time of the call, so adapters never read the database. {@code restartGeneration} is the
 * lab's current restart request: a runtime records it with each launch and restart and treats a
 * restart to a generation it has already reached as done.
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
        int restartGeneration) {

    public VmSpec(String labId, String owner, VmImage image, int cpus, int memoryMb, String cloudInit,
            boolean console, boolean vnc) {
        this(labId, owner, image, cpus, memoryMb, cloudInit, console, vnc, 0);
    }
}
