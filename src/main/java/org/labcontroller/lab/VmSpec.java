package org.labcontroller.lab;

/**
 * Everything a runtime needs to build one lab's machine, copied from the lab and its template at
 * the time of the call, so adapters never read the database.
 */
public record VmSpec(
        String labId,
        String owner,
        VmImage image,
        int cpus,
        int memoryMb,
        String cloudInit,
        boolean console,
        boolean vnc) {
}
