package org.labcontroller.lab;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One student's lab: the desired state the user asked for (with a version that changes on every
 * request, and a restart generation) and the state the reconcile loop last observed; {@code courseId}
 * names the course it was started in, if any.
 */
public record Lab(
        String id,
        String ownerId,
        @JsonProperty("owner") String ownerName,
        String templateId,
        String templateName,
        @JsonProperty("desiredState") Desired desired,
        @JsonIgnore int desiredVersion,
        @JsonIgnore int restartGeneration,
        @JsonIgnore int restartObserved,
        LabState state,
        String stateReason,
        Instant stateChangedAt,
        Instant createdAt,
        Instant startedAt,
        Instant expiresAt,
        String courseId) {

    /** A lab outside any course. */
    public Lab(String id, String ownerId, String ownerName, String templateId, String templateName, Desired desired,
            int desiredVersion, int restartGeneration, int restartObserved, LabState state, String stateReason,
            Instant stateChangedAt, Instant createdAt, Instant startedAt, Instant expiresAt) {
        this(id, ownerId, ownerName, templateId, templateName, desired, desiredVersion, restartGeneration, restartObserved,
                state, stateReason, stateChangedAt, createdAt, startedAt, expiresAt, null);
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
