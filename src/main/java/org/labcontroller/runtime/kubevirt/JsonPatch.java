package org.labcontroller.runtime.kubevirt;

import java.util.Map;

/**
 * Operations of a JSON patch (RFC 6902), the one patch format the adapter sends: its list handling
 * is the same on every API server, unlike a merge patch's.
 */
final class JsonPatch {
    private JsonPatch() {
    }

    /** Sets {@code path} to {@code value}; on an existing member "add" replaces it. */
    static Map<String, Object> add(String path, Object value) {
        return Map.of("op", "add", "path", path, "value", value);
    }

    /** A map key as one JSON pointer segment (RFC 6901: {@code ~} and {@code /} escaped). */
    static String pointer(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
