package org.labcontroller.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem body; {@code field} is our extension naming the request field at fault. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String field) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(ErrorCode code, String detail, String instance, String field) {
        return new Problem(code.type(), code.title(), code.status(), detail, instance, field);
    }
}
