package org.labcontroller.account;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.labcontroller.problem.ApiException;

/** What an account may do: admins everything, instructors their templates, students their labs. */
public enum Role {
    ADMIN, INSTRUCTOR, STUDENT;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Role parse(String value) {
        for (Role r : values()) {
            if (r.json().equals(value)) {
                return r;
            }
        }
        throw ApiException.invalid("role", "must be one of admin, instructor, student");
    }
}
