package org.labcontroller.account;

/** A stored local account; the hash never leaves the account feature. */
public record Account(String id, String username, String passwordHash, Role role, long createdAt, long updatedAt) {

    public Caller caller() {
        return new Caller(id, username, role);
    }
}
