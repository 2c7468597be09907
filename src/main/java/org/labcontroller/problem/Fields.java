package org.labcontroller.problem;

import java.util.regex.Pattern;

/**
 * Input checks shared by every feature's request validation, each throwing an
 * {@link ApiException} that names the field, so all validation errors read alike.
 */
public final class Fields {
    private Fields() {
    }

    public static <T> T required(String field, T value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw ApiException.invalid(field, "is required");
        }
        return value;
    }

    public static String text(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw ApiException.invalid(field, "is longer than " + maxLength + " characters");
        }
        return value;
    }

    public static String requiredText(String field, String value, int maxLength) {
        return text(field, required(field, value), maxLength);
    }

    public static String matches(String field, String value, Pattern pattern, String rule) {
        if (value != null && !pattern.matcher(value).matches()) {
            throw ApiException.invalid(field, rule);
        }
        return value;
    }

    public static int range(String field, Integer value, int min, int max) {
        required(field, value);
        if (value < min || value > max) {
            throw ApiException.invalid(field, "must be between " + min + " and " + max);
        }
        return value;
    }
}
