package org.labcontroller.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every replica computes the same owner; a replica leaving moves only its own keys; keys spread. */
class RendezvousTest {
    record R(String id, String address) implements Rendezvous.Replica {
    }

    private static final List<R> THREE = List.of(new R("a", "10.0.0.1:8080"), new R("b", "10.0.0.2:8080"), new R("c", "10.0.0.3:8080"));

    @Test
    void theOwnerDoesNotDependOnTheOrderReplicasAreListedIn() {
        List<R> reversed = new ArrayList<>(THREE).reversed();
        for (int i = 0; i < 100; i++) {
            assertEquals(Rendezvous.owner("lab-" + i, THREE), Rendezvous.owner("lab-" + i, reversed));
        }
        assertTrue(Rendezvous.owner("lab", List.<R>of()).isEmpty());
    }

    @Test
    void whenAReplicaLeavesOnlyItsKeysMoveAndKeysSpreadOverAll() {
        Map<String, Integer> perReplica = new HashMap<>();
        List<R> withoutB = THREE.stream().filter(r -> !r.id().equals("b")).toList();
        for (int i = 0; i < 3000; i++) {
            String key = "lab-" + i + "/CONSOLE";
            R before = Rendezvous.owner(key, THREE).orElseThrow();
            perReplica.merge(before.id(), 1, Integer::sum);
            if (!before.id().equals("b")) {
                assertEquals(before, Rendezvous.owner(key, withoutB).orElseThrow(), key);
            }
        }
        perReplica.values().forEach(n -> assertTrue(n > 800, "keys spread: " + perReplica));
    }
}
