package org.labcontroller.lab;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of keeping templates warm: the pools a template asks for with its {@code warmPool} (KubeVirt), the saved states (QEMU). */
@ConfigMapping(prefix = "lab.warm-pool")
public interface WarmPoolConfig {

    /**
     * How long a template's pool is kept after its last lab start (or its last change): an idle
     * template's started machines hold a node's memory for nothing, so its pool is removed then and
     * comes back with the next start.
     */
    @WithDefault("1h")
    Duration idleAfter();

    /**
     * How long before a course's window opens its templates are made warm (QEMU: the saved state;
     * KubeVirt: the template's pool), so the class's first clicks find them ready.
     */
    @WithDefault("15m")
    Duration ahead();
}
