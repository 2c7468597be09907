package org.labcontroller.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A relay ticket is valid only for its path, with the replicas' secret, for a short while. */
class RelayTicketTest {
    private static final String SECRET = "sixteen-characters-at-least";
    private static final String PATH = "/api/v1/labs/l1/console";

    @Test
    void aTicketCarriesTheViewersAddressForItsPathWithinItsLifetime() {
        String ticket = RelayTicket.issue(SECRET, PATH, "203.0.113.7", 1_000);
        assertEquals(Optional.of("203.0.113.7"), RelayTicket.verify(SECRET, ticket, PATH, 1_000));
        assertEquals(Optional.of("203.0.113.7"), RelayTicket.verify(SECRET, ticket, PATH, 31_000));
        assertTrue(RelayTicket.verify(SECRET, ticket, PATH, 31_001).isEmpty(), "expired");
    }

    @Test
    void anotherPathSecretOrATamperedTicketIsRefused() {
        String ticket = RelayTicket.issue(SECRET, PATH, "203.0.113.7", 1_000);
        assertTrue(RelayTicket.verify(SECRET, ticket, "/api/v1/labs/l2/console", 1_000).isEmpty());
        assertTrue(RelayTicket.verify("another-secret-of-sixteen", ticket, PATH, 1_000).isEmpty());
        String forgedExpiry = "9" + ticket;
        assertTrue(RelayTicket.verify(SECRET, forgedExpiry, PATH, 1_000).isEmpty());
        for (String junk : new String[] {null, "", ".", "..", "x.y.z", "1.2"}) {
            assertTrue(RelayTicket.verify(SECRET, junk, PATH, 1_000).isEmpty(), String.valueOf(junk));
        }
    }
}
