package org.labcontroller.account;

import jakarta.enterprise.context.RequestScoped;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.ErrorCode;

/** Holds the caller that {@link AuthFilter} resolved for the current request, if any. */
@RequestScoped
public class CallerContext {
    private Caller caller;
    private String sessionHash;

    void set(Caller caller, String sessionHash) {
        this.caller = caller;
        this.sessionHash = sessionHash;
    }

    /** The authenticated caller, or a 401 problem. */
    public Caller require() {
        if (caller == null) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "Log in or send a bearer token");
        }
        return caller;
    }

    /** The hash of the session cookie this request came with, if it used one. */
    String sessionHash() {
        return sessionHash;
    }
}
