package org.labcontroller.lab;

/**
 * How a stream session reaches a lab: its owner's own ({@code OWN}), someone else's read-only view
 * ({@code WATCH}: no byte they send reaches the lab) or someone else's help with input ({@code ASSIST}).
 * Someone else's watch or assist is announced to the owner; an owner may watch their own lab too.
 */
public enum StreamMode {
    OWN, WATCH, ASSIST;

    /** The API's name: {@code own}, {@code watch}, {@code assist}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The mode to ask for again at a re-check: the owner's own stream asks for none. */
    public String requested() {
        return this == OWN ? null : label();
    }

    /** Whether what the browser sends reaches the lab. */
    public boolean sendsInput() {
        return this != WATCH;
    }

    static StreamMode of(String label) {
        return valueOf(label.toUpperCase(java.util.Locale.ROOT));
    }
}
