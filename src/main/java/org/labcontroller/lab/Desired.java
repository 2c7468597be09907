package org.labcontroller.lab;

import com.fasterxml.jackson.annotation.JsonValue;

/** What the user asked a lab to be; the reconcile loop drives the runtime towards it. */
public enum Desired {
    RUNNING("Running"), STOPPED("Stopped"), DELETED("Deleted");

    private final String label;

    Desired(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }
}
