package org.labcontroller.course;

import java.time.Instant;
import java.util.List;

/**
 * The body of a course create or replace: everything but its members. {@code templateIds} are the
 * templates it offers (each one the caller can see); a missing {@code quotas} means no limits.
 */
public record CourseRequest(String name, String code, Instant opensAt, Instant closesAt, Course.Quotas quotas,
        List<String> templateIds) {
}
