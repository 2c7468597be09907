package org.labcontroller.account;

/**
 * The authenticated principal of one request or stream. Services take it as their first argument
 * so every decision about what it may see or do goes through {@link Policy}.
 */
public record Caller(String id, String username, Role role) {

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
