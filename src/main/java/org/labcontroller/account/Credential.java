package org.labcontroller.account;

/**
 * The credential a request came with, as the hash of its secret (the secret itself is not kept).
 * Long-lived streams hold it to ask {@link Authenticator#current} later whether it still stands
 * and for whom, so a logout, a revoked token or a role change reaches a stream that is open.
 */
public record Credential(boolean bearer, String hash) {
}
