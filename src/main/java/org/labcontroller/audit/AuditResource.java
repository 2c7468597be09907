package org.labcontroller.audit;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.labcontroller.account.CallerContext;
import org.labcontroller.storage.Page;

/** The audit trail (admins only), newest first. */
@Path("/api/v1/audit")
@Tag(name = "audit")
public class AuditResource {
    @Inject
    CallerContext context;
    @Inject
    AuditService audit;

    @GET
    @Operation(summary = "Lab actions and stream sessions, newest first; filter by labId")
    public Page<AuditEvent> list(@QueryParam("labId") String labId, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        var caller = context.require();
        return audit.list(caller, labId, Page.Request.of(limit, cursor));
    }
}
