package org.labcontroller.problem;

/**
 * The exception services throw to end a request with a catalogued problem. {@code field} names the
 * request field at fault, when there is one, so clients can point at it.
 */
public class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final String field;
    private long retryAfterSeconds;

    public ApiException(ErrorCode code, String detail) {
        this(code, detail, null);
    }

    public ApiException(ErrorCode code, String detail, String field) {
        super(detail, null, false, false);
        this.code = code;
        this.field = field;
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(ErrorCode.NOT_FOUND, "No " + what + " with id '" + id + "'");
    }

    public static ApiException invalid(String field, String detail) {
        return new ApiException(ErrorCode.INVALID_FIELD, field + ": " + detail, field);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(ErrorCode.FORBIDDEN, detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(ErrorCode.CONFLICT, detail);
    }

    /** A 429 that tells the client, in a Retry-After header too, when it may try again. */
    public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
        ApiException e = new ApiException(ErrorCode.TOO_MANY_REQUESTS, detail);
        e.retryAfterSeconds = retryAfterSeconds;
        return e;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public ErrorCode code() {
        return code;
    }

    public String field() {
        return field;
    }
}
