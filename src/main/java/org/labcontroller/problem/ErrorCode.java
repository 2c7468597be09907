package org.labcontroller.problem;

/**
 * The one catalogue of errors the controller reports. Each entry carries its HTTP status, the
 * websocket close code used when the same condition ends a stream, and a stable problem type, so
 * that REST answers, stream closes and the UI's messages never disagree.
 */
public enum ErrorCode {
    BAD_REQUEST(400, 4400, "bad-request", "The request is malformed"),
    INVALID_FIELD(400, 4400, "invalid-field", "A field is invalid"),
    UNAUTHENTICATED(401, 4401, "unauthenticated", "Authentication is required"),
    FORBIDDEN(403, 4403, "forbidden", "This action is not allowed for your account"),
    NOT_FOUND(404, 4404, "not-found", "No such resource"),
    METHOD_NOT_ALLOWED(405, 4405, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, 4406, "not-acceptable", "Not acceptable"),
    CONFLICT(409, 4409, "conflict", "The request conflicts with the current state"),
    PAYLOAD_TOO_LARGE(413, 4413, "payload-too-large", "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE(415, 4415, "unsupported-media-type", "Unsupported media type"),
    TOO_MANY_REQUESTS(429, 4429, "too-many-requests", "Too many requests"),
    INTERNAL(500, 1011, "internal", "Internal error"),
    UNAVAILABLE(503, 1013, "unavailable", "The service is unavailable"),

    // Conditions that end an open stream; their HTTP status applies if they occur before the upgrade.
    LAB_STOPPED(409, 4100, "lab-stopped", "The lab stopped"),
    LAB_DELETED(410, 4101, "lab-deleted", "The lab was deleted"),
    ACCESS_REVOKED(403, 4102, "access-revoked", "Access to the lab was revoked"),
    SLOW_CLIENT(409, 4103, "slow-client", "The connection could not keep up with the lab's output"),
    SCREEN_TAKEN(409, 4104, "screen-taken", "Another viewer opened the lab's screen"),
    SHUTTING_DOWN(503, 1001, "shutting-down", "The controller is shutting down"),
    STREAM_ENDED(409, 1000, "stream-ended", "The stream ended");

    private static final String TYPE_BASE = "https://lab-controller.dev/problems/";

    private final int status;
    private final int closeCode;
    private final String slug;
    private final String title;

    ErrorCode(int status, int closeCode, String slug, String title) {
        this.status = status;
        this.closeCode = closeCode;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public int closeCode() {
        return closeCode;
    }

    public String type() {
        return TYPE_BASE + slug;
    }

    public String title() {
        return title;
    }

    /** The entry for an HTTP status the framework produced itself (unknown path, wrong method). */
    public static ErrorCode forStatus(int status) {
        for (ErrorCode code : values()) {
            if (code.status == status && code != INVALID_FIELD && code.ordinal() <= UNAVAILABLE.ordinal()) {
                return code;
            }
        }
        return status >= 500 ? INTERNAL : BAD_REQUEST;
    }

    /** The entry a websocket close code stands for (a stream another replica ended), if any. */
    public static java.util.Optional<ErrorCode> forCloseCode(int closeCode) {
        for (ErrorCode code : values()) {
            if (code.closeCode == closeCode && code != INVALID_FIELD) {
                return java.util.Optional.of(code);
            }
        }
        return java.util.Optional.empty();
    }
}
