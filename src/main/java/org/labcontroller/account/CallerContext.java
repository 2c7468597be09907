package org.labcontroller.account;

import jakarta.enterprise.context.RequestScoped;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.ErrorCode;

/** Holds the caller that {@link AuthFilter} resolved for the current request, if any. */
@RequestScoped
public class CallerContext {
    private Caller caller;
    private Credential credential;

    void set(Caller caller, Credential credential) {
        this.caller = caller;
        this.credential = credential;
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
        return credential == null || credential.bearer() ? null : credential.hash();
    }

    /** The credential of the authenticated caller, for streams that re-check it while open; or a 401 problem. */
    public Credential credential() {
        require();
        return credential;
    }
}
