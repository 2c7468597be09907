package org.labcontroller.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One audited fact: a lab action (create, start, stop, restart, delete), an account change or
 * failed login (the target in {@code detail}; never a password or token secret), or a finished stream
 * session with its duration and bytes each way ({@code bytesIn} from the browser, {@code bytesOut}
 * to it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEvent(String id, Instant at, String actorId, String actor, String action, String labId,
        String address, Instant startedAt, Long bytesIn, Long bytesOut, String detail) {
}
