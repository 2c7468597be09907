package org.labcontroller.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import java.lang.reflect.Proxy;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.runtime.Readiness;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.WarmTarget;
import org.labcontroller.template.Template;
import org.labcontroller.template.TemplateRepository;

/**
 * Which templates the leader asks the runtime to keep warm: those used (started or changed) within
 * the idle period, sized by their pool, and those a course wants; dropped when idle (a clock the
 * test moves), shaped exactly like their labs' machines.
 */
class WarmPoolsTest {
    private static final Instant T0 = Instant.parse("2026-11-30T09:00:00Z");
    private static final Duration IDLE = Duration.ofHours(1);

    private static Template template(String id, int warmPool, Instant updated) {
        return new Template(id, "t-" + id, "", "owner", new VmImage(null, null, null, null, "quay.io/x:1"), 2, 1024, true, false,
                "#cloud-config\n", 60, true, "isolated", T0.minus(Duration.ofDays(1)), updated, new Readiness("agent", null, 120),
                warmPool);
    }

    @Test
    void aTemplateIsKeptWarmWhileItWasChangedOrStartedWithinTheIdlePeriodWithItsPoolAsTheSize() {
        Template pooled = template("a", 3, T0);
        Template none = template("b", 0, T0.minus(IDLE));
        assertEquals(List.of(new WarmTarget("a", WarmPools.shape(pooled), 3)),
                WarmPools.targets(List.of(pooled, none), Map.of(), Set.of(), T0.plus(Duration.ofMinutes(59)), IDLE));
        assertEquals(List.of(), WarmPools.targets(List.of(pooled), Map.of(), Set.of(), T0.plus(IDLE), IDLE), "idle: shrunk to nothing");
        Map<String, Instant> started = Map.of("a", T0.plus(Duration.ofMinutes(50)));
        assertEquals(1, WarmPools.targets(List.of(pooled), started, Set.of(), T0.plus(Duration.ofMinutes(109)), IDLE).size(),
                "a start (or restart) 50 minutes in keeps it another hour");
        assertEquals(0, WarmPools.targets(List.of(pooled), started, Set.of(), T0.plus(Duration.ofMinutes(110)), IDLE).size());
        assertEquals(List.of(new WarmTarget("b", WarmPools.shape(none), 0)),
                WarmPools.targets(List.of(none), Map.of("b", T0), Set.of(), T0.plus(Duration.ofMinutes(1)), IDLE),
                "a template without a pool is a target of size 0: QEMU keeps its saved state, KubeVirt no machine");
    }

    @Test
    void aCoursesTemplatesAreWantedWhateverTheirUse() {
        Template idle = template("c", 2, T0.minus(Duration.ofDays(3)));
        assertEquals(List.of(), WarmPools.targets(List.of(idle), Map.of(), Set.of(), T0, IDLE));
        assertEquals(List.of(new WarmTarget("c", WarmPools.shape(idle), 2)),
                WarmPools.targets(List.of(idle), Map.of(), Set.of("c"), T0, IDLE));
    }

    @Test
    void thePoolsShapeIsTheLabsMachineWithoutTheLab() {
        Template t = template("a", 2, T0);
        VmSpec shape = WarmPools.shape(t);
        assertNull(shape.labId());
        assertNull(shape.owner());
        assertEquals(t.id(), shape.templateId());
        assertEquals(List.of(t.image(), 2, 1024, "#cloud-config\n", true, false, "agent", "isolated"), List.of(shape.image(),
                shape.cpus(), shape.memoryMb(), shape.cloudInit(), shape.console(), shape.vnc(), shape.readiness().mode(),
                shape.network().value()));
    }

    @Test
    void theLeaderTellsTheRuntimeAndAnIdlePoolIsDroppedWhenTheClockMoves() {
        MutableClock clock = new MutableClock(T0.plus(Duration.ofMinutes(5)));
        List<List<WarmTarget>> told = new CopyOnWriteArrayList<>();
        @SuppressWarnings("unchecked")
        LabRuntime runtime = (LabRuntime) Proxy.newProxyInstance(LabRuntime.class.getClassLoader(), new Class<?>[] {LabRuntime.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("keepWarm")) {
                        told.add((List<WarmTarget>) args[0]);
                    }
                    return null;
                });
        WarmPools pools = new WarmPools() {
            @Override
            Set<String> courseWanted(Instant now) {
                return Set.of();
            }
        };
        pools.templates = new TemplateRepository() {
            @Override
            public List<Template> all() {
                return List.of(template("a", 2, T0));
            }
        };
        pools.labs = new LabRepository() {
            @Override
            public Map<String, Instant> lastStarts() {
                return Map.of();
            }
        };
        pools.runtime = runtime;
        pools.leadership = () -> true;
        pools.config = new WarmPoolConfig() {
            @Override
            public Duration idleAfter() {
                return IDLE;
            }

            @Override
            public Duration ahead() {
                return Duration.ofMinutes(15);
            }
        };
        pools.clock = clock;
        try {
            pools.refresh();
            Awaitility.await().until(() -> told.size() == 1);
            assertEquals(2, told.get(0).get(0).size());
            clock.advance(IDLE);
            pools.refresh();
            Awaitility.await().until(() -> told.size() == 2);
            assertTrue(told.get(1).isEmpty(), "idle for an hour: the runtime removes the pool");
        } finally {
            pools.onStop(null);
        }
    }
}
