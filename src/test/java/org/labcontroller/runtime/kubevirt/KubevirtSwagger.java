package org.labcontroller.runtime.kubevirt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * KubeVirt's published OpenAPI document (test resource {@code kubevirt/swagger.json}, v1.9.0) and
 * two checks against it: that a request's path and method exist, and that an object validates
 * against a definition (types, required fields, {@code $ref}s, and no properties the schema does
 * not declare).
 */
final class KubevirtSwagger {
    private static final KubevirtSwagger INSTANCE = load();

    private final JsonNode definitions;
    private final List<Map.Entry<Pattern, JsonNode>> paths = new ArrayList<>();

    private KubevirtSwagger(JsonNode root) {
        this.definitions = root.get("definitions");
        root.get("paths").fields().forEachRemaining(e -> paths.add(Map.entry(
                Pattern.compile(e.getKey().replace(".", "\\.").replaceAll("\\{[^}]+}", "[^/]+")), e.getValue())));
    }

    static KubevirtSwagger get() {
        return INSTANCE;
    }

    /** Whether KubeVirt's API has this method on this path (query ignored). */
    boolean hasOperation(String method, String path) {
        for (Map.Entry<Pattern, JsonNode> entry : paths) {
            if (entry.getKey().matcher(path).matches() && entry.getValue().has(method.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** Every way {@code value} breaks the definition, as "path: problem" lines; empty when valid. */
    List<String> validate(String definition, JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(ref("#/definitions/" + definition), value, definition, errors);
        return errors;
    }

    private void check(JsonNode schema, JsonNode value, String at, List<String> errors) {
        if (schema.has("$ref")) {
            check(ref(schema.get("$ref").asText()), value, at, errors);
            return;
        }
        if (schema.has("type") && !typeMatches(schema.get("type"), value)) {
            errors.add(at + ": expected " + schema.get("type") + " but found " + value.getNodeType());
            return;
        }
        if (value.isObject()) {
            if (schema.has("required")) {
                for (JsonNode required : schema.get("required")) {
                    if (!value.has(required.asText())) {
                        errors.add(at + ": required field " + required.asText() + " is missing");
                    }
                }
            }
            JsonNode properties = schema.get("properties");
            JsonNode additional = schema.get("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = at + "." + field.getKey();
                if (properties != null && properties.has(field.getKey())) {
                    check(properties.get(field.getKey()), field.getValue(), child, errors);
                } else if (additional != null && additional.isObject()) {
                    check(additional, field.getValue(), child, errors);
                } else if (properties != null && additional == null) {
                    errors.add(child + ": unknown field");
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), at + "[" + i + "]", errors);
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t, value)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> true;
        };
    }

    private JsonNode ref(String ref) {
        String name = ref.substring("#/definitions/".length());
        JsonNode schema = definitions.get(name);
        if (schema == null) {
            throw new IllegalArgumentException("No definition " + name + " in KubeVirt's swagger.json");
        }
        return schema;
    }

    private static KubevirtSwagger load() {
        try (InputStream in = KubevirtSwagger.class.getResourceAsStream("/kubevirt/swagger.json")) {
            return new KubevirtSwagger(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
