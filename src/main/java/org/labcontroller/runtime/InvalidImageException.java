package org.labcontroller.runtime;

/** A template image a runtime cannot use; {@code field} names the template field at fault. */
public class InvalidImageException extends Exception {
    private final String field;

    public InvalidImageException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
