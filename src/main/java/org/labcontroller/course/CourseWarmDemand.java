package org.labcontroller.course;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.labcontroller.lab.WarmDemand;

/**
 * A course wants its templates warm from {@code ahead} before its window opens until it has been
 * open for the idle period: a class of 30 that clicks Start at the hour then restores saved states
 * (QEMU) or claims started machines (KubeVirt) instead of booting. After that, the class's own
 * starts keep them warm like anyone's.
 */
@ApplicationScoped
class CourseWarmDemand implements WarmDemand {
    @Inject
    CourseRepository courses;

    @Override
    public Set<String> templatesWanted(Instant now, Duration ahead, Duration idleAfter) {
        return courses.templatesOpening(now.minus(idleAfter), now.plus(ahead), now);
    }
}
