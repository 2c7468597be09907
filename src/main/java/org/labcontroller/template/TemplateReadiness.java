package org.labcontroller.template;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.Fields;
import org.labcontroller.runtime.Readiness;

/**
 * The rules of a template's {@code readiness}: a known mode the runtime can judge, a console
 * pattern that compiles and cannot match empty output, and a timeout in range. Kept apart from
 * {@link TemplateService} so each rule names its own field in the problem it throws.
 */
final class TemplateReadiness {
    static final int MAX_PATTERN = 256;
    static final int MIN_TIMEOUT = 10;
    static final int MAX_TIMEOUT = 3600;
    private static final List<String> MODES = List.of(Readiness.CONSOLE, Readiness.AGENT, Readiness.NONE);

    private TemplateReadiness() {
    }

    /**
     * The readiness to store: {@link Readiness#IMMEDIATE} when none is given; a missing mode is
     * {@code console} when a pattern is given, else {@code none}; a missing timeout is the default.
     */
    static Readiness validated(Readiness given, String runtimeName, Set<String> judged) {
        if (given == null) {
            return Readiness.IMMEDIATE;
        }
        String pattern = given.pattern() == null || given.pattern().isEmpty() ? null : given.pattern();
        String mode = given.mode() == null || given.mode().isBlank()
                ? (pattern != null ? Readiness.CONSOLE : Readiness.NONE) : given.mode();
        if (!MODES.contains(mode)) {
            throw ApiException.invalid("readiness.mode", "must be one of " + String.join(", ", MODES));
        }
        if (!judged.contains(mode)) {
            throw ApiException.invalid("readiness.mode", "the " + runtimeName + " runtime cannot judge readiness by '" + mode
                    + "'; it judges " + String.join(", ", new TreeSet<>(judged)));
        }
        if (Readiness.CONSOLE.equals(mode)) {
            check(Fields.text("readiness.pattern", Fields.required("readiness.pattern", pattern), MAX_PATTERN));
        } else if (pattern != null) {
            throw ApiException.invalid("readiness.pattern", "is only used when readiness.mode is 'console'");
        }
        int timeout = given.timeoutSeconds() == null ? Readiness.DEFAULT_TIMEOUT_SECONDS
                : Fields.range("readiness.timeoutSeconds", given.timeoutSeconds(), MIN_TIMEOUT, MAX_TIMEOUT);
        return new Readiness(mode, pattern, timeout);
    }

    private static void check(String pattern) {
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw ApiException.invalid("readiness.pattern", "is not a valid regular expression: " + e.getDescription()
                    + (e.getIndex() >= 0 ? " at position " + e.getIndex() : ""));
        }
        if (compiled.matcher("").find()) {
            throw ApiException.invalid("readiness.pattern", "matches empty output, so every machine would count as ready at once");
        }
    }
}
