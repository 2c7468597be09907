package org.labcontroller.template;

/**
 * Fired (CDI, synchronously, after the write) when a template was created, replaced or deleted, so
 * features that keep state per template (the warm pools) look again at once instead of at the next
 * resync. Observers must not block: they hand the work to their own thread.
 */
public record TemplateChanged(String templateId) {
}
