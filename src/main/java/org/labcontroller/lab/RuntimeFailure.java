package org.labcontroller.lab;

/**
 * A runtime call that did not achieve its aim (launch failed, backend unreachable). The message is a
 * readable sentence that ends up as the lab's state reason; the reconcile loop retries later.
 */
public class RuntimeFailure extends Exception {
    public RuntimeFailure(String message) {
        super(message);
    }

    public RuntimeFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
