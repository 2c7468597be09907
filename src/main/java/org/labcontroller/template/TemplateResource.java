package org.labcontroller.template;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.labcontroller.account.CallerContext;
import org.labcontroller.storage.Page;

/**
 * Lab templates: instructors and admins author them, students list the offered ones (reading only
 * what starting a lab needs).
 */
@Path("/api/v1/templates")
@Tag(name = "templates")
public class TemplateResource {
    @Inject
    CallerContext context;
    @Inject
    TemplateService templates;

    @GET
    @Operation(summary = "Templates you may use or manage")
    public Page<TemplateView> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        var caller = context.require();
        return templates.list(caller, Page.Request.of(limit, cursor));
    }

    @POST
    @Operation(summary = "Create a template (instructors and admins)")
    public Response create(TemplateRequest body) {
        return Response.status(201).entity(templates.create(context.require(), body)).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One template (in full for its owner and admins; otherwise what starting a lab needs)")
    public TemplateView get(@PathParam("id") String id) {
        return templates.read(context.require(), id);
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Replace a template (its owner or an admin)")
    public Template replace(@PathParam("id") String id, TemplateRequest body) {
        return templates.replace(context.require(), id, body);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a template that has no labs (its owner or an admin)")
    public Response delete(@PathParam("id") String id) {
        templates.delete(context.require(), id);
        return Response.noContent().build();
    }
}
