package org.labcontroller.lab;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import org.jboss.resteasy.reactive.RestStreamElementType;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.labcontroller.account.CallerContext;
import org.labcontroller.storage.Page;

/** Labs: start your own from a template, watch its state, stop, restart and delete it. */
@Path("/api/v1/labs")
@Tag(name = "labs")
public class LabResource {
    @Inject
    CallerContext context;
    @Inject
    LabService labs;

    @GET
    @Operation(summary = "Labs you may see: your own; an instructor's also those of their templates; an admin's all")
    public Page<Lab> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        var caller = context.require();
        return labs.list(caller, Page.Request.of(limit, cursor));
    }

    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @io.smallrye.common.annotation.Blocking
    @Operation(summary = "Server-sent events: the labs you may see (first page), sent at once and whenever they change")
    public Multi<Page<Lab>> events() {
        var caller = context.require();
        Page.Request first = Page.Request.of(Page.MAX_LIMIT, null);
        // NOTE: each open page polls on a worker thread once a second and sends only changes, so
        // state written by any replica's reconcile loop reaches every browser.
        return Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(Duration.ofSeconds(1))
                .onOverflow().drop()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(tick -> labs.list(caller, first))
                .skip().repetitions();
    }

    @POST
    @Operation(summary = "Create a lab from a template; it starts at once (state Pending, then Starting, Running)")
    public Response create(LabService.NewLab body) {
        return Response.status(201).entity(labs.create(context.require(), body)).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One lab")
    public Lab get(@PathParam("id") String id) {
        return labs.get(context.require(), id);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a lab: its VM and disk are removed; answers 202 while it is Deleting")
    public Response delete(@PathParam("id") String id) {
        return Response.accepted(labs.delete(context.require(), id)).build();
    }

    @POST
    @Path("{id}/start")
    @Operation(summary = "Start a stopped or failed lab")
    public Response start(@PathParam("id") String id) {
        return Response.accepted(labs.start(context.require(), id)).build();
    }

    @POST
    @Path("{id}/stop")
    @Operation(summary = "Stop a lab, keeping its disk")
    public Response stop(@PathParam("id") String id) {
        return Response.accepted(labs.stop(context.require(), id)).build();
    }

    @POST
    @Path("{id}/restart")
    @Operation(summary = "Reboot a running lab, keeping its disk")
    public Response restart(@PathParam("id") String id) {
        return Response.accepted(labs.restart(context.require(), id)).build();
    }
}
