package org.labcontroller.course;

import java.util.Comparator;
import java.util.Locale;
import org.labcontroller.problem.ApiException;

/**
 * The class overview's filters and order, validated from the query string so a bad value is a 400
 * naming the parameter: {@code state} (a lab state or {@code none}), {@code idleMinutes} (only
 * students whose last input is at least that old; students with no input seen are left out, since
 * their inactivity is unknown) and {@code sort} ({@code name}, {@code state}, or {@code idle}: most
 * idle first, unknown last).
 */
public record OverviewQuery(String state, Integer idleMinutes, Sort sort) {
    /** The tile orders; ties are broken by name. */
    public enum Sort { NAME, STATE, IDLE }

    private static final Comparator<Overview.Tile> BY_NAME = Comparator
            .comparing((Overview.Tile t) -> name(t).toLowerCase(Locale.ROOT)).thenComparing(t -> t.student().username());

    public static OverviewQuery parse(String state, String idleMinutes, String sort) {
        String s = null;
        if (state != null && !state.isBlank()) {
            s = ClassOverview.state(state.strip()).orElseThrow(() -> ApiException.invalid("state",
                    "must be one of none, pending, starting, running, stopping, stopped, failed, deleting"));
        }
        Integer idle = null;
        if (idleMinutes != null && !idleMinutes.isBlank()) {
            try {
                idle = Integer.parseInt(idleMinutes.strip());
            } catch (NumberFormatException e) {
                idle = -1;
            }
            if (idle < 0 || idle > 100_000) {
                throw ApiException.invalid("idleMinutes", "must be a whole number of minutes from 0 to 100000");
            }
        }
        Sort order = Sort.NAME;
        if (sort != null && !sort.isBlank()) {
            try {
                order = Sort.valueOf(sort.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("sort", "must be one of name, state, idle");
            }
        }
        return new OverviewQuery(s, idle, order);
    }

    boolean accepts(Overview.Tile tile) {
        if (state != null && !state.equals(tile.state())) {
            return false;
        }
        return idleMinutes == null || tile.idleSeconds() != null && tile.idleSeconds() >= idleMinutes * 60L;
    }

    Comparator<Overview.Tile> order() {
        return switch (sort) {
            case NAME -> BY_NAME;
            case STATE -> Comparator.comparingInt((Overview.Tile t) -> ClassOverview.rank(t.state())).thenComparing(BY_NAME);
            case IDLE -> Comparator.comparing((Overview.Tile t) -> t.idleSeconds() == null ? Long.MAX_VALUE : -t.idleSeconds())
                    .thenComparing(BY_NAME);
        };
    }

    private static String name(Overview.Tile t) {
        String d = t.student().displayName();
        return d == null || d.isBlank() ? t.student().username() : d;
    }
}
