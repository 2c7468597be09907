package org.labcontroller.runtime;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The port between labs and the machines that run them. The lab service and its reconcile loop
 * speak only this interface, so that local QEMU and KubeVirt are interchangeable adapters and no
 * backend detail (processes, sockets, Kubernetes objects) leaks into the lab feature.
 *
 * <p>Every mutating call is idempotent and level-oriented: callers may repeat it after a crash or a
 * restart of the controller without harm. Calls may block (process launch, API calls); the reconcile
 * loop calls them from its own threads.
 */
public interface LabRuntime {

    /** Short name of the backend, used in logs, metrics and health ({@code qemu}, {@code kubevirt}). */
    String name();

    /**
     * Checks that an image can be used by this runtime before a template is stored.
     *
     * @throws InvalidImageException naming the field that is wrong and why
     */
    void validate(VmImage image) throws InvalidImageException;

    /**
     * The image of the demo template a new installation gets on this runtime, so that the first
     * template always suits the runtime that will start it; null when the runtime has none.
     */
    default VmImage demoImage() {
        return null;
    }

    /**
     * The {@link Readiness} modes this runtime can judge; a template naming another is refused
     * when it is stored. Every runtime judges {@code none}.
     */
    default Set<String> readinessModes() {
        return Set.of(Readiness.NONE);
    }

    /** How the demo template's machines are judged ready on this runtime. */
    default Readiness demoReadiness() {
        return Readiness.IMMEDIATE;
    }

    /** Ensures a VM for the lab exists and is running (or booting). Returns once it is launched. */
    void start(VmSpec spec) throws RuntimeFailure;

    /**
     * The warm pools wanted now, one target per template that has one (a missing template wants
     * none): the runtime keeps that many started, ready machines of each shape, hands one to
     * {@link #start} of a lab of that shape instead of booting one, refills in the background and
     * removes the machines of pools no longer wanted. Called by the leader on template changes and
     * at each resync, with the whole list every time (level-triggered). A runtime without pools
     * ignores it: the local QEMU runtime restores saved memory instead (its warm start), which it
     * prepares on first use, so it keeps no pool and this is a no-op there.
     */
    default void keepWarm(List<WarmTarget> targets) throws RuntimeFailure {
    }

    /** Ensures the lab's VM is not running; keeps its disk so a later start resumes from it. */
    void stop(String labId) throws RuntimeFailure;

    /**
     * Reboots a running VM, keeping its disk; starts it if it is not running. Records
     * {@link VmSpec#restartGeneration()} with the machine; a call for a generation the machine has
     * already reached does nothing, so a repeated call never reboots twice.
     */
    void restart(VmSpec spec) throws RuntimeFailure;

    /** Removes the lab's VM and every process, file or object it owns. Idempotent. */
    void delete(String labId) throws RuntimeFailure;

    /**
     * What the backend holds now: every VM this runtime knows (running, stopped or failed), keyed by
     * lab id. VMs whose lab no longer exists are orphans the caller deletes.
     */
    Map<String, VmStatus> observe() throws RuntimeFailure;

    /**
     * What the backend holds now for one lab, read fresh (not from an earlier pass), or null when
     * it has no VM for it.
     */
    default VmStatus observe(String labId) throws RuntimeFailure {
        return observe().get(labId);
    }

    /**
     * Registers the one listener the runtime calls with a lab id whenever something happened to
     * that lab's machine without being asked (a process exited, the cluster changed the VM), so the
     * reconcile loop looks at just that lab at once instead of polling. Called once at start-up; the
     * listener is cheap and never blocks.
     */
    default void watch(Consumer<String> changed) {
    }

    /**
     * Opens the raw byte stream of a running lab: the serial console's TTY bytes or the RFB
     * protocol of its screen. The caller owns and closes the channel.
     *
     * @throws StreamUnavailableException when the lab is not running or does not offer the stream
     */
    ByteChannel open(String labId, StreamKind kind) throws StreamUnavailableException, IOException;

    /**
     * The last at most {@code maxBytes} of what the lab's serial console printed in its current
     * boot, so a viewer who opens the console after the guest became ready still sees its prompt;
     * empty when the runtime keeps none (it keeps it only for console readiness).
     */
    default byte[] consoleHistory(String labId, int maxBytes) {
        return new byte[0];
    }

    /**
     * Whether {@link #screenshot} works on this backend; a runtime without it answers every lab's
     * thumbnail as unavailable, and the API says so instead of failing.
     */
    default boolean screenshots() {
        return false;
    }

    /**
     * A PNG picture of a running lab's screen now, for the class overview's thumbnails. The picture
     * is returned, never kept: a runtime that needs a file for it removes the file before returning.
     *
     * @throws StreamUnavailableException when the lab is not running or has no screen
     * @throws RuntimeFailure when the backend did not answer (a hung monitor, an unreachable API)
     */
    default byte[] screenshot(String labId) throws StreamUnavailableException, RuntimeFailure {
        throw new StreamUnavailableException("This runtime (" + name() + ") takes no screenshots.");
    }

    /**
     * Whether the backend allows only one screen connection per machine (KubeVirt's VNC), so a
     * new viewer takes the screen over from the previous one instead of sharing it.
     */
    default boolean exclusiveScreen() {
        return false;
    }

    /**
     * Whether the backend can take work now (binary present, API and watches up); reported in
     * readiness data and the {@code lab_runtime_reachable} gauge, never as an outage by itself.
     */
    boolean ready();

    /**
     * Whether the backend has been reached once since this replica started (KubeVirt: its watches
     * listed everything once; QEMU: its binary works). Readiness waits for it; a later outage of
     * the backend does not take the replica out of service, because it still serves the API and
     * the streams it holds, and labs say in their reasons what waits for the backend.
     */
    default boolean synced() {
        return ready();
    }
}
