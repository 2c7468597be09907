package org.labcontroller.lab;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.labcontroller.account.CallerContext;

/** Reset a lab to its template's initial state (apart from {@link LabResource}, which holds the ordinary lifecycle). */
@Path("/api/v1/labs/{id}/reset")
@Tag(name = "labs")
public class LabResetResource {
    @Inject
    CallerContext context;
    @Inject
    LabResets resets;

    @POST
    @Operation(summary = "Reset a lab to its template: everything saved in it since it started from its template (files,"
            + " installed packages, settings) is lost; its machine and disk are removed and a running lab starts again"
            + " from the template (Starting, then Running), a stopped one stays stopped with a fresh disk. For its owner,"
            + " an instructor of its course or an admin; answers 202 with the lab, 404 for a lab you cannot see,"
            + " 409 while it is being deleted")
    public Response reset(@PathParam("id") String id) {
        return Response.accepted(resets.reset(context.require(), id)).build();
    }
}
