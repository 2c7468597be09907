package org.labcontroller.account;

/**
 * A change to an account or its credentials, or a failed login, announced as a CDI event so the
 * audit trail can record it without the account feature depending on the audit feature. Never
 * carries a password or a token secret.
 *
 * @param actorId the caller's account id, or the attempted account's id ({@code unknown} when none)
 * @param actor the caller's username, or the attempted username of a failed login
 * @param action what happened, e.g. {@code user-create}, {@code role-change}, {@code login-failure}
 * @param address the client address, when known
 * @param detail the account or token acted on, in plain words
 */
public record AccountEvent(String actorId, String actor, String action, String address, String detail) {

    static AccountEvent by(Caller caller, String action, String detail) {
        return new AccountEvent(caller.id(), caller.username(), action, null, detail);
    }
}
