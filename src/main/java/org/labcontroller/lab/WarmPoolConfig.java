package org.labcontroller.lab;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the warm pools a template asks for with its {@code warmPool} (KubeVirt keeps them). */
@ConfigMapping(prefix = "lab.warm-pool")
public interface WarmPoolConfig {

    /**
     * How long a template's pool is kept after its last lab start (or its last change): an idle
     * template's started machines hold a node's memory for nothing, so its pool is removed then and
     * comes back with the next start.
     */
    @WithDefault("1h")
    Duration idleAfter();
}
