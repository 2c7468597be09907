package org.labcontroller.lab;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a lab is doing, as users see it. Written by the reconcile loop from what it observes. */
public enum LabState {
    PENDING("Pending"), STARTING("Starting"), RUNNING("Running"), STOPPING("Stopping"),
    STOPPED("Stopped"), FAILED("Failed"), DELETING("Deleting");

    private final String label;

    LabState(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }
}
