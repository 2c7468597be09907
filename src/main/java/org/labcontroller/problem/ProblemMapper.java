package org.labcontroller.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure of a REST call into an RFC 9457 body from the {@link ErrorCode} catalogue.
 * Client errors are logged at debug, server errors at error; an unexpected throwable becomes a
 * generic 500 that reveals no stack trace.
 */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    /** A qualified Java type name, e.g. {@code java.lang.Integer} or {@code `org.x.Lab$Body`}. */
    private static final Pattern JAVA_NAME =
            Pattern.compile("`?\\b(?:[a-z_][a-z0-9_]*\\.){2,}[A-Z][A-Za-z0-9_$]*(?:\\[])?`?");

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        Response r = respond(e.code(), e.getMessage(), uri, e.field());
        if (e.retryAfterSeconds() > 0) {
            r.getHeaders().putSingle("Retry-After", String.valueOf(e.retryAfterSeconds()));
        }
        return r;
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        if (e.getCause() instanceof ApiException api) {
            return api(api, uri);
        }
        String field = e instanceof JsonMappingException m && !m.getPath().isEmpty() ? path(m) : null;
        String detail;
        if (e instanceof UnrecognizedPropertyException u) {
            field = path(u);
            detail = "Unknown field '" + field + "'; known fields: " + u.getKnownPropertyIds();
        } else if (e instanceof InvalidFormatException f) {
            detail = field + ": the value " + abbreviate(f.getValue()) + " is not " + kind(f.getTargetType());
        } else if (e instanceof MismatchedInputException mi && field != null) {
            detail = field + ": wrong type, expected " + (mi.getTargetType() == null
                    ? "another type" : kind(mi.getTargetType()));
        } else {
            detail = "Malformed JSON: " + e.getOriginalMessage();
        }
        return respond(ErrorCode.BAD_REQUEST, detail, uri, field);
    }

    /** Declared apart so it wins over the framework's own mapper for this narrower type. */
    @ServerExceptionMapper
    public Response mismatch(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json, uri);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        ErrorCode code = ErrorCode.forStatus(status);
        String detail = status == 404 ? "No resource at " + uri.getPath() : e.getMessage();
        return respond(code, detail, uri, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        LOG.errorf(e, "Unexpected error on %s", uri.getPath());
        return respond(ErrorCode.INTERNAL, "An unexpected error occurred; it has been logged.", uri, null);
    }

    static Response respond(ErrorCode code, String detail, UriInfo uri, String field) {
        if (code.status() >= 500) {
            LOG.errorf("%s %s: %s", code.status(), uri.getPath(), detail);
        } else {
            LOG.debugf("%s %s: %s", code.status(), uri.getPath(), detail);
        }
        Response.ResponseBuilder builder = Response.status(code.status())
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(code, withoutClassNames(detail), uri.getPath(), field));
        if (code == ErrorCode.UNAUTHENTICATED) {
            builder.header("WWW-Authenticate", "Bearer realm=\"lab-controller\"");
        }
        return builder.build();
    }

    /** What a client calls a JSON value of the type: never a Java class name. */
    static String kind(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class && type != char.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == Character.class || type == char.class || type.isEnum()) {
            return "a string";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    /**
     * Problem details go to clients, which must not learn the server's classes: a qualified Java
     * name (as a parser message may hold) becomes "a value", and parser location notes are cut.
     */
    static String withoutClassNames(String detail) {
        if (detail == null) {
            return null;
        }
        String d = detail;
        int at = d.indexOf(" at [Source");
        if (at >= 0) {
            d = d.substring(0, at);
        }
        return JAVA_NAME.matcher(d).replaceAll("a value").replace("\n", " ").strip();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String abbreviate(Object value) {
        String s = String.valueOf(value);
        return "'" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'";
    }
}
