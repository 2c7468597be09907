package org.labcontroller.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.labcontroller.problem.ApiException;

/**
 * One page of a keyset-paginated list: its rows in {@code items} and the opaque cursor of the next
 * page ({@code null} on the last page). Every list endpoint answers with this shape.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Page<T>(List<T> items, String nextCursor) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    /** A validated request for a page: at most {@code limit} rows with ids after {@code afterId}. */
    public record Request(int limit, String afterId) {
        public static Request of(Integer limit, String cursor) {
            int l = limit == null ? DEFAULT_LIMIT : limit;
            if (l < 1 || l > MAX_LIMIT) {
                throw ApiException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
            }
            return new Request(l, cursor == null || cursor.isEmpty() ? "" : decode(cursor));
        }

        /** Rows to fetch: one more than the limit tells whether a next page exists. */
        public int fetch() {
            return limit + 1;
        }
    }

    /** Builds the page from up to {@code limit + 1} fetched rows. */
    public static <T> Page<T> of(List<T> rows, Request request, Function<T, String> id) {
        if (rows.size() <= request.limit()) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, request.limit());
        return new Page<>(List.copyOf(items), encode(id.apply(items.get(items.size() - 1))));
    }

    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), nextCursor);
    }

    private static String encode(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("id:" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (s.startsWith("id:") && s.length() < 80) {
                return s.substring(3);
            }
        } catch (IllegalArgumentException ignored) {
            // falls through to the problem below
        }
        throw ApiException.invalid("cursor", "is not a cursor this server issued");
    }
}
