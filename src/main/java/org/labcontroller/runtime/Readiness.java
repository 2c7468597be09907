package org.labcontroller.runtime;

/**
 * How a template's machines are judged usable, not merely running: a lab shows {@code Running}
 * only once its runtime says so. It exists because a launched QEMU or a running instance is seconds
 * (or minutes) away from a shell a student can type into.
 *
 * <ul>
 *   <li>{@code console}: the guest printed {@code pattern} (a regular expression, searched in the
 *       serial output of the current boot);</li>
 *   <li>{@code agent}: the guest agent connected (KubeVirt's {@code AgentConnected} condition);</li>
 *   <li>{@code none}: as soon as the machine runs.</li>
 * </ul>
 *
 * A machine not ready within {@code timeoutSeconds} of its start is failed and started again by
 * the reconcile loop, within its crash budget. Which modes a runtime can judge it says itself
 * ({@link LabRuntime#readinessModes()}).
 */
public record Readiness(String mode, String pattern, Integer timeoutSeconds) {
    public static final String CONSOLE = "console";
    public static final String AGENT = "agent";
    public static final String NONE = "none";
    public static final int DEFAULT_TIMEOUT_SECONDS = 300;
    /** Ready as soon as the machine runs: what a template that names no readiness gets. */
    public static final Readiness IMMEDIATE = new Readiness(NONE, null, DEFAULT_TIMEOUT_SECONDS);

    /** Whether readiness is judged by {@code m} (one of the mode constants). */
    public boolean judgedBy(String m) {
        return m.equals(mode);
    }
}
