package org.labcontroller.course;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of courses. */
@ConfigMapping(prefix = "lab.courses")
public interface CourseConfig {

    /** The largest roster upload in bytes (the HTTP body limit, quarkus.http.limits.max-body-size, applies first). */
    @WithDefault("1048576")
    int rosterMaxBytes();
}
