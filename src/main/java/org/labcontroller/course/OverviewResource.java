package org.labcontroller.course;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.labcontroller.account.CallerContext;

/** The class overview of a course: a tile per student, for its instructors and admins. */
@Path("/api/v1/courses/{id}/overview")
@Tag(name = "courses")
public class OverviewResource {
    @Inject
    CallerContext context;
    @Inject
    ClassOverview overview;

    @GET
    @Operation(summary = "The class overview (the course's instructors and admins): a tile per enrolled student with their labs in"
            + " the course (state, readiness, whether a screen and a thumbnail are available, your allowedActions), the last"
            + " console or screen input seen (lastInputAt, null when unknown) and idleSeconds; counts per tile state before"
            + " filtering. state=none|pending|starting|running|stopping|stopped|failed|deleting filters by the tile's state,"
            + " idleMinutes=n keeps students idle at least n minutes, sort=name|state|idle (idle: most idle first, unknown last)")
    public Overview get(@PathParam("id") String id, @QueryParam("state") String state,
            @QueryParam("idleMinutes") String idleMinutes, @QueryParam("sort") String sort) {
        var caller = context.require();
        return overview.read(caller, id, OverviewQuery.parse(state, idleMinutes, sort));
    }
}
