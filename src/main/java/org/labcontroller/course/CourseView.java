package org.labcontroller.course;

import java.time.Instant;
import java.util.List;

/**
 * A course as one caller reads it: with whether it is open now and why not, the templates it
 * offers (to students only while open), the caller's role in it, and the actions {@code Policy}
 * lets this caller take ({@code allowedActions}), so the UI renders buttons from the answer.
 */
public record CourseView(String id, String name, String code, Instant opensAt, Instant closesAt, Course.Quotas quotas,
        boolean open, String closedReason, List<OfferedTemplate> templates, String myRole, long students, long instructors,
        List<String> allowedActions, Instant createdAt, Instant updatedAt) {

    /** A template a course offers: what a student needs to choose it. */
    public record OfferedTemplate(String id, String name, String description, int cpus, int memoryMb) {
    }
}
