package org.labcontroller.runtime.qemu;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Settings of the local QEMU runtime. Kept apart from the lab settings because they only mean
 * something when {@code lab.runtime=qemu}.
 */
@ConfigMapping(prefix = "lab.qemu")
public interface QemuConfig {

    /** The QEMU system emulator to run: a name looked up on PATH or an absolute path. */
    @WithDefault("qemu-system-x86_64")
    String binary();

    /** Accelerator: tcg (emulation, works everywhere), kvm, or auto (boot-probe KVM, else TCG). */
    @WithDefault("tcg")
    Accel accel();

    /** How many VMs may be launching at once (from process start until QEMU's monitor answers). */
    @WithDefault("2")
    int maxBooting();

    /** Directory holding one sub-directory per lab: overlay disk, pid file, log and sockets. */
    @WithDefault("${lab.data-dir}/vms")
    String stateDir();

    /** Directory that template image paths (kernel, initrd, disk) are relative to. */
    @WithDefault("${lab.data-dir}/images")
    String imageDir();

    /** How long a stop waits for QEMU to quit before killing it. */
    @WithDefault("10s")
    Duration stopTimeout();

    /**
     * The unprivileged system user QEMU runs as when the controller runs as root (scripts/run.sh
     * creates it); a controller that is not root runs QEMU as itself.
     */
    @WithDefault("labvm")
    String user();

    /** Kill and remove every VM when the controller stops: for tests and throwaway runs only (VMs normally outlive it). */
    @WithDefault("false")
    boolean removeVmsAtShutdown();

    /** Warm start: per-template saved machine states that new labs are restored from (see {@link WarmStart}). */
    Warm warm();

    /** Settings of the warm-state cache. */
    interface Warm {
        /** Whether labs of templates that allow it start by restoring a saved state instead of booting. */
        @WithDefault("true")
        boolean enabled();

        /** Directory of the saved states, one sub-directory per template and machine shape. */
        @WithDefault("${lab.data-dir}/warm")
        String dir();

        /** Most disk space the saved states may take together; the least recently used go first. */
        @WithDefault("2G")
        io.quarkus.runtime.configuration.MemorySize maxSize();
    }

    /** The accelerators QEMU can run a guest with. */
    enum Accel {
        /** Pure emulation: slow but needs nothing from the host. */
        TCG,
        /** Hardware virtualisation through /dev/kvm. */
        KVM,
        /** KVM when a probe boot of the image reaches a shell, TCG otherwise. */
        AUTO
    }
}
