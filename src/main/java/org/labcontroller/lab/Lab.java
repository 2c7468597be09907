package org.labcontroller.lab;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import org.labcontroller.runtime.Readiness;

/**
 * One student's lab: the desired state the user asked for (with a version that changes on every
 * request, and a restart generation) and the state the reconcile loop last observed; {@code courseId}
 * names the course it was started in, if any. {@code allowedActions} (from {@code Policy.labActions}) is
 * set on the labs answered to a caller ({@link LabCapabilities}) and absent where there is none.
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
        Instant bootStartedAt,
        @JsonIgnore int readinessTimeoutSeconds,
        String courseId,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> allowedActions) {

    /** A lab as stored, before any caller's actions are added. */
    public Lab(String id, String ownerId, String ownerName, String templateId, String templateName, Desired desired,
            int desiredVersion, int restartGeneration, int restartObserved, LabState state, String stateReason,
            Instant stateChangedAt, Instant createdAt, Instant startedAt, Instant expiresAt, Instant bootStartedAt,
            int readinessTimeoutSeconds, String courseId) {
        this(id, ownerId, ownerName, templateId, templateName, desired, desiredVersion, restartGeneration, restartObserved,
                state, stateReason, stateChangedAt, createdAt, startedAt, expiresAt, bootStartedAt, readinessTimeoutSeconds,
                courseId, null);
    }

    /** The same lab with the actions one caller may take on it. */
    public Lab withAllowedActions(List<String> actions) {
        return new Lab(id, ownerId, ownerName, templateId, templateName, desired, desiredVersion, restartGeneration,
                restartObserved, state, stateReason, stateChangedAt, createdAt, startedAt, expiresAt, bootStartedAt,
                readinessTimeoutSeconds, courseId, List.copyOf(actions));
    }

    /** A lab outside any course. */
    public Lab(String id, String ownerId, String ownerName, String templateId, String templateName, Desired desired,
            int desiredVersion, int restartGeneration, int restartObserved, LabState state, String stateReason,
            Instant stateChangedAt, Instant createdAt, Instant startedAt, Instant expiresAt) {
        this(id, ownerId, ownerName, templateId, templateName, desired, desiredVersion, restartGeneration, restartObserved,
                state, stateReason, stateChangedAt, createdAt, startedAt, expiresAt, null, Readiness.DEFAULT_TIMEOUT_SECONDS, null);
    }

    /** A lab as the loop's tests build it: outside any course, with its boot's start and readiness timeout. */
    public Lab(String id, String ownerId, String ownerName, String templateId, String templateName, Desired desired,
            int desiredVersion, int restartGeneration, int restartObserved, LabState state, String stateReason,
            Instant stateChangedAt, Instant createdAt, Instant startedAt, Instant expiresAt, Instant bootStartedAt,
            int readinessTimeoutSeconds) {
        this(id, ownerId, ownerName, templateId, templateName, desired, desiredVersion, restartGeneration, restartObserved,
                state, stateReason, stateChangedAt, createdAt, startedAt, expiresAt, bootStartedAt, readinessTimeoutSeconds, null);
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** How long its last start took, from the machine's start to ready, in seconds; null when unknown. */
    @JsonProperty("startSeconds")
    public Double startSeconds() {
        if (startedAt == null || bootStartedAt == null || startedAt.isBefore(bootStartedAt)) {
            return null;
        }
        return (startedAt.toEpochMilli() - bootStartedAt.toEpochMilli()) / 1000.0;
    }

    /** When a machine started at {@code bootStartedAt} (or, unrecorded, at the last state change) must be ready. */
    Instant readyDeadline() {
        return (bootStartedAt != null ? bootStartedAt : stateChangedAt).plusSeconds(readinessTimeoutSeconds);
    }
}
