package org.labcontroller.course;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.labcontroller.account.CallerContext;

/** The class reset (apart from {@link CourseResource}, which holds the course itself). */
@Path("/api/v1/courses/{id}/reset")
@Tag(name = "courses")
public class CourseResetResource {
    @Inject
    CallerContext context;
    @Inject
    CourseResets resets;

    @POST
    @Operation(summary = "Reset every lab of the course (or only those of templateId) to its template: all the students'"
            + " work in them is lost. Body {\"templateId\": optional, \"confirm\": \"<the course's code>\"}; a missing or"
            + " wrong confirm is a 400 naming it. The course's instructors and admins; answers 202 with {\"labs\": n}, the"
            + " reconcile loop resets them a few at a time")
    public Response reset(@PathParam("id") String id, CourseResets.Request body) {
        return Response.accepted(resets.reset(context.require(), id, body)).build();
    }
}
