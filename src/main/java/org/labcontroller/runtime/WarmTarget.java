package org.labcontroller.runtime;

import java.util.Objects;

/**
 * How many started, ready machines of one template a runtime keeps ahead of use, so that a lab
 * start takes one instead of booting (KubeVirt's warm pool, where memory cannot be restored).
 * {@code shape} is the machine every lab of the template gets, without lab identity: its lab id
 * and owner are ignored, {@code templateId} and the rest decide which pooled machine fits a lab.
 * A pool is never a lab: it has no lab row and so never counts against anyone's quota.
 */
public record WarmTarget(String templateId, VmSpec shape, int size) {

    public WarmTarget {
        Objects.requireNonNull(templateId, "templateId");
        Objects.requireNonNull(shape, "shape");
        if (size < 0) {
            throw new IllegalArgumentException("A warm pool's size is at least 0, not " + size);
        }
        shape = shape.withTemplate(templateId);
    }
}
