package org.labcontroller.runtime.kubevirt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.runtime.VmSpec;

/** Small fixture builders for the KubeVirt tests: lab specs, settings, and the API conformance check. */
final class Labs {
    static final String IMAGE = "quay.io/containerdisks/fedora:40";

    private Labs() {
    }

    static String newLabId() {
        return UUID.randomUUID().toString();
    }

    static VmSpec spec(String labId) {
        return new VmSpec(labId, "alice", new VmImage(null, null, null, null, IMAGE), 2, 1024,
                "#cloud-config\npassword: lab\n", true, true);
    }

    /** The spec of a restart the user asked for ({@code generation} counts the requests). */
    static VmSpec restart(String labId, int generation) {
        VmSpec s = spec(labId);
        return new VmSpec(labId, s.owner(), s.image(), s.cpus(), s.memoryMb(), s.cloudInit(), s.console(), s.vnc(), generation);
    }

    static VmSpec spec(String labId, boolean console, boolean vnc, String cloudInit) {
        return new VmSpec(labId, "alice", new VmImage(null, null, null, null, IMAGE), 1, 512, cloudInit, console, vnc);
    }

    static KubevirtConfig config() {
        return config(Duration.ofSeconds(2));
    }

    /** The settings of an installation with this id. */
    static KubevirtConfig config(String installationId) {
        return config(Duration.ofSeconds(2), installationId);
    }

    static KubevirtConfig config(Duration leaseDuration) {
        return config(leaseDuration, Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(60), "default");
    }

    static KubevirtConfig config(Duration leaseDuration, String installationId) {
        return config(leaseDuration, Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(60), installationId);
    }

    /** The settings above with the given stream timing: dial timeout, ping interval and pong deadline. */
    static KubevirtConfig streamConfig(Duration connectTimeout, Duration pingInterval, Duration pongTimeout) {
        return config(Duration.ofSeconds(2), connectTimeout, pingInterval, pongTimeout, "default");
    }

    private static KubevirtConfig config(Duration leaseDuration, Duration connectTimeout, Duration pingInterval, Duration pongTimeout,
            String installationId) {
        return new KubevirtConfig() {
            public String installationId() {
                return installationId;
            }

            public String namespace() {
                return FakeKubevirt.NAMESPACE;
            }

            public Duration subresourceTimeout() {
                return Duration.ofSeconds(5);
            }

            public Duration streamConnectTimeout() {
                return connectTimeout;
            }

            public Duration streamPingInterval() {
                return pingInterval;
            }

            public Duration streamPongTimeout() {
                return pongTimeout;
            }

            public int streamBufferBytes() {
                return 64 * 1024;
            }

            public Duration readyGrace() {
                return Duration.ofMillis(200);
            }

            public String imagePullPolicy() {
                return "IfNotPresent";
            }

            @Override
            public String demoImage() {
                return "quay.io/kubevirt/cirros-container-disk-demo:latest";
            }

            public LeaderElection leaderElection() {
                return new LeaderElection() {
                    public boolean enabled() {
                        return true;
                    }

                    public String leaseName() {
                        return "lab-controller-leader";
                    }

                    public String leaseNamespace() {
                        return FakeKubevirt.CONTROLLER_NAMESPACE;
                    }

                    public Duration leaseDuration() {
                        return leaseDuration;
                    }

                    public Duration renewDeadline() {
                        return leaseDuration.multipliedBy(2).dividedBy(3);
                    }

                    public Duration retryPeriod() {
                        return Duration.ofMillis(200);
                    }
                };
            }
        };
    }

    /** Every request was allowed by deploy/base's RBAC and, for KubeVirt's groups, exists in its API. */
    static void assertConformant(List<RbacRules.ApiCall> calls) {
        RbacRules rbac = RbacRules.fromDeployBase();
        KubevirtSwagger swagger = KubevirtSwagger.get();
        List<String> refused = calls.stream().filter(c -> !rbac.allows(c)).map(RbacRules.ApiCall::toString).distinct().toList();
        assertEquals(List.of(), refused, "requests deploy/base's ClusterRole and Role do not allow");
        List<String> unknown = calls.stream()
                .filter(c -> c.pathOnly().contains("kubevirt.io/"))
                .filter(c -> !swagger.hasOperation(c.method(), c.pathOnly()))
                .map(RbacRules.ApiCall::toString).distinct().toList();
        assertEquals(List.of(), unknown, "requests KubeVirt's API does not have");
    }
}
