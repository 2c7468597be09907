package org.labcontroller.lab;

import io.smallrye.mutiny.Multi;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.inject.Inject;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.labcontroller.account.CallerContext;
import org.labcontroller.problem.Problem;
import org.labcontroller.storage.Page;

/** Labs: start your own from a template, watch its state, stop, restart and delete it. */
@Path("/api/v1/labs")
@Tag(name = "labs")
public class LabResource {
    @Inject
    CallerContext context;
    @Inject
    LabService labs;
    @Inject
    LabFeeds feeds;
    @Inject
    LabPictures pictures;
    @Inject
    ObjectMapper mapper;

    @GET
    @Operation(summary = "Labs you may see: your own; an instructor's also those of their templates; an admin's all")
    public Page<Lab> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        var caller = context.require();
        return labs.list(caller, Page.Request.of(limit, cursor));
    }

    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Server-sent events: the labs you may see (first page, with nextCursor when there are more),"
            + " sent at once and whenever one of them changes; a 'viewers' event ({viewers: [{labId, username, capacity,"
            + " mode, stream, since}]}) says who watches or assists in your own labs' consoles and screens, whenever"
            + " that changes; an 'ended' event (an RFC 9457 problem) says why the"
            + " feed ended when your login ended, your token was revoked or your account changed")
    public Multi<OutboundSseEvent> events(@Context Sse sse, @Context UriInfo uri) {
        var caller = context.require();
        String path = uri.getPath();
        return feeds.open(caller, context.credential()).map(event -> switch (event) {
            case LabFeed.Labs labs -> sse.newEventBuilder().data(String.class, json(labs.page())).build();
            case LabFeed.Viewers viewers -> sse.newEventBuilder().name("viewers").data(String.class,
                    json(java.util.Map.of("viewers", viewers.viewers()))).build();
            case LabFeed.Ended ended -> sse.newEventBuilder().name("ended").data(String.class,
                    json(Problem.of(ended.code(), ended.detail(), path, null))).build();
        });
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A feed event cannot be written as JSON", e);
        }
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

    @GET
    @Path("{id}/screenshot")
    @Produces("image/png")
    @Operation(summary = "A PNG of a running lab's screen, for the class overview's thumbnails: for its owner, an instructor"
            + " of its course or an admin; taken at most once per lab.labs.thumbnail-max-age and shared by every request"
            + " in it, kept in memory only (Cache-Control: no-store); 404 for a lab you cannot see, 409 when it is not"
            + " running or has no screen, 503 when its screen does not answer")
    @APIResponse(responseCode = "200", description = "The screen", content = @Content(mediaType = "image/png",
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Response screenshot(@PathParam("id") String id) {
        byte[] png = pictures.thumbnail(context.require(), id);
        return Response.ok(png, "image/png").build(); // Cache-Control: no-store comes with every /api/ answer
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
