package org.labcontroller.runtime;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a lab's machine may reach over the network, chosen per template. Every mode keeps the guest
 * away from the host's loopback, the host's own addresses, the controller and other labs; a runtime
 * that cannot enforce a mode refuses to start the lab rather than start it with less isolation.
 */
public enum VmNetwork {
    /** No network card at all. */
    NONE,
    /** A network card with no route anywhere: only what the lab itself serves (console, screen). */
    ISOLATED,
    /** Outbound connections to the outside world; still nothing on the host or in other labs. */
    INTERNET;

    /** The mode a template gets when it names none: the safe one that still lets the demo work. */
    public static final VmNetwork DEFAULT = ISOLATED;

    /** The name used in the API and the database ({@code none}, {@code isolated}, {@code internet}). */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code value} (as {@link #value()} spells it), or empty. */
    public static Optional<VmNetwork> parse(String value) {
        return Arrays.stream(values()).filter(m -> m.value().equals(value)).findFirst();
    }
}
