package org.labcontroller.runtime;

/**
 * A runtime call that did not achieve its aim. The message is a readable sentence that ends up as
 * the lab's state reason. Most failures are transient (an unreachable API, a 409, no boot permit
 * yet, a timeout) and the reconcile loop retries them with backoff; a {@linkplain #permanent()
 * permanent} one (an image that cannot be used, a template the backend refuses) is not retried
 * until the user asks again, because repeating the call cannot help.
 */
public class RuntimeFailure extends Exception {
    private final boolean permanent;

    public RuntimeFailure(String message) {
        this(message, null, false);
    }

    public RuntimeFailure(String message, Throwable cause) {
        this(message, cause, false);
    }

    private RuntimeFailure(String message, Throwable cause, boolean permanent) {
        super(message, cause);
        this.permanent = permanent;
    }

    /** A failure that repeating the same call cannot fix. */
    public static RuntimeFailure permanent(String message, Throwable cause) {
        return new RuntimeFailure(message, cause, true);
    }

    /** Whether retrying is pointless until something the user controls changes. */
    public boolean permanent() {
        return permanent;
    }
}
