package org.labcontroller.course;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * A course as stored: its schedule window ({@code null} = open on that side) and its quotas. The
 * window is half-open: a course is open when {@code opensAt <= now < closesAt}.
 */
public record Course(String id, String name, String code, Instant opensAt, Instant closesAt, Quotas quotas,
        Instant createdAt, Instant updatedAt) {

    /**
     * What a course lets its students use; {@code null} means no limit. vCPUs and memory are the
     * sums over the course's labs that are not deleted (a stopped lab keeps its share); lab-hours
     * are per student, see {@code CourseQuotas}.
     */
    public record Quotas(Integer maxLabsPerStudent, Integer maxVcpus, Integer maxMemoryMb, Integer maxLabHoursPerStudent) {
        static final Quotas NONE = new Quotas(null, null, null, null);
    }

    public boolean openAt(Instant now) {
        return (opensAt == null || !now.isBefore(opensAt)) && (closesAt == null || now.isBefore(closesAt));
    }

    /** Why the course is closed at {@code now}, in plain words; null while it is open. */
    public String closedReason(Instant now) {
        if (opensAt != null && now.isBefore(opensAt)) {
            return "The course " + code + " is closed until " + DateTimeFormatter.ISO_INSTANT.format(opensAt);
        }
        if (closesAt != null && !now.isBefore(closesAt)) {
            return "The course " + code + " closed at " + DateTimeFormatter.ISO_INSTANT.format(closesAt);
        }
        return null;
    }
}
