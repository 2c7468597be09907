package org.labcontroller.course;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The per-row answer to a roster upload: what happened to each row, and the totals. A created
 * account's one-time {@code setPasswordLink} is shown here once and never again.
 */
public record RosterReport(boolean applied, int rows, int created, int enrolled, int alreadyEnrolled, int duplicates,
        int rejected, List<Entry> results) {

    /** What became of one row. */
    public enum Outcome { CREATED, ENROLLED, ALREADY_ENROLLED, DUPLICATE, REJECTED }

    /** One row's outcome; {@code field} and {@code reason} for rejected and duplicate rows. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(int row, String username, Outcome outcome, String field, String reason, String setPasswordLink) {
    }

    static RosterReport of(boolean applied, List<Entry> entries) {
        int[] n = new int[Outcome.values().length];
        entries.forEach(e -> n[e.outcome().ordinal()]++);
        return new RosterReport(applied, entries.size(), n[0], n[1], n[2], n[3], n[4],
                entries.stream().sorted(java.util.Comparator.comparingInt(Entry::row)).toList());
    }
}
