package org.labcontroller.runtime.kubevirt;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.labcontroller.runtime.RuntimeFailure;

/**
 * Turns what goes wrong between the controller and the Kubernetes API into the readable sentence a
 * {@link RuntimeFailure} carries (it ends up as a lab's state reason or in the log), so that an
 * operator reads "not allowed to patch virtualmachines" rather than a stack trace.
 */
final class ApiFailures {

    private ApiFailures() {
    }

    /** The failure of {@code action} (e.g. "create the VirtualMachine of lab x"). */
    static RuntimeFailure failure(String action, Throwable error) {
        return new RuntimeFailure(sentence(action, error), error);
    }

    static String sentence(String action, Throwable error) {
        KubernetesClientException answer = answer(error);
        int code = answer == null ? 0 : answer.getCode();
        String detail = detail(answer);
        return switch (code) {
            case 401 -> "The Kubernetes API rejected the controller's credentials (401 Unauthorized) when asked to "
                    + action + ".";
            case 403 -> "The controller's service account is not allowed to " + action + " (403 Forbidden)"
                    + (detail == null ? "." : ": " + detail);
            case 404 -> "Could not " + action + ": not found (404)" + (detail == null ? "." : ": " + detail);
            case 409 -> "Could not " + action + " because it changed meanwhile (409 Conflict); it will be retried.";
            case 422 -> "The Kubernetes API refused to " + action + " (422 Invalid)" + (detail == null ? "." : ": " + detail);
            default -> transport(action, error, code, detail);
        };
    }

    private static String transport(String action, Throwable error, int code, String detail) {
        Throwable cause = root(error);
        if (cause instanceof TimeoutException || cause instanceof InterruptedIOException) {
            return "The Kubernetes API did not answer in time when asked to " + action + ".";
        }
        if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
            return "The Kubernetes API is unreachable, so the controller could not " + action + ": "
                    + cause.getMessage();
        }
        String status = code > 0 ? " (HTTP " + code + ")" : "";
        return "Could not " + action + status + ": " + (detail == null ? String.valueOf(cause.getMessage()) : detail);
    }

    private static String detail(KubernetesClientException answer) {
        return answer == null || answer.getStatus() == null ? null : answer.getStatus().getMessage();
    }

    /** The API's answer inside the error (informers wrap it), or null when none came. */
    private static KubernetesClientException answer(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                return k;
            }
        }
        return null;
    }

    private static Throwable root(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
