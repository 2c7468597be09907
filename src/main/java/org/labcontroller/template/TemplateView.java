package org.labcontroller.template;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A template as one caller reads it: in full ({@link Template}) for its owner and admins, or only
 * its launch fields ({@link LaunchTemplate}) for everyone else; {@code Policy.templateFields}
 * decides which. Exists so that the API can only answer a template through this choice.
 */
@Schema(oneOf = {Template.class, LaunchTemplate.class})
public sealed interface TemplateView permits Template, LaunchTemplate {
    String id();
}
