package org.labcontroller.runtime.kubevirt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Two replicas competing for one Lease on one API server: exactly one leads, and the other takes over. */
class KubevirtLeaderElectionTest {

    @Test
    void exactlyOneReplicaLeadsAndTheOtherTakesOverWhenItStops() {
        List<RbacRules.ApiCall> calls;
        try (FakeKubevirt cluster = new FakeKubevirt()) {
            KubevirtConfig config = Labs.config(Duration.ofSeconds(2));
            LeaseLeadership a = new LeaseLeadership(cluster.client(), config.leaderElection(), "replica-a");
            LeaseLeadership b = new LeaseLeadership(cluster.client(), config.leaderElection(), "replica-b");
            try {
                a.start();
                b.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> a.isLeader() || b.isLeader());
                LeaseLeadership leader = a.isLeader() ? a : b;
                LeaseLeadership follower = leader == a ? b : a;
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                        .until(() -> leader.isLeader() && !follower.isLeader());

                leader.close();
                await().atMost(Duration.ofSeconds(5)).until(follower::isLeader);
                assertEquals(false, leader.isLeader());
                assertEquals(follower.identity(), cluster.kubevirt().leases().inNamespace(FakeKubevirt.CONTROLLER_NAMESPACE)
                        .withName("lab-controller-leader").get().getSpec().getHolderIdentity());
            } finally {
                Stream.of(a, b).forEach(LeaseLeadership::close);
            }
            calls = cluster.calls();
        }
        Labs.assertConformant(calls);
        assertEquals(java.util.Set.of("get", "create", "patch"), calls.stream().map(c -> RbacRules.attributes(c).verb())
                .collect(java.util.stream.Collectors.toSet()), "the Role's verbs are exactly the ones used");
    }

    @Test
    void identitiesDifferBetweenReplicasOfOnePod() {
        assertNotEquals(LeaderElection.identity(), LeaderElection.identity());
    }
}
