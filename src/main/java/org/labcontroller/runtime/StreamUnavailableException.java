package org.labcontroller.runtime;

/** A stream that cannot be opened now: the lab is not running or its template does not offer it. */
public class StreamUnavailableException extends Exception {
    public StreamUnavailableException(String message) {
        super(message);
    }
}
