package org.labcontroller.account;

import java.time.Instant;

/** A personal API token as listed: never its secret, only a prefix to recognise it by. */
public record ApiToken(String id, String name, String prefix, Instant createdAt, Instant expiresAt, Instant lastUsedAt) {
}
