package org.labcontroller.account;

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
import org.labcontroller.storage.Page;

/** The caller's own account: who they are, their password and their API tokens. */
@Path("/api/v1/me")
@Tag(name = "me")
public class MeResource {
    @Inject
    CallerContext context;
    @Inject
    AccountService accounts;
    @Inject
    TokenService tokens;

    public record PasswordChange(String currentPassword, String newPassword) {
    }

    @GET
    @Operation(summary = "The logged-in account")
    public Caller me() {
        return context.require();
    }

    @PUT
    @Path("password")
    @Operation(summary = "Change your password; your other sessions end")
    public Response password(PasswordChange body) {
        Caller caller = context.require();
        accounts.changeOwnPassword(caller, body == null ? null : body.currentPassword(),
                body == null ? null : body.newPassword(), context.sessionHash());
        return Response.noContent().build();
    }

    @POST
    @Path("tokens")
    @Operation(summary = "Create a personal API token; its secret is shown only in this answer")
    public Response createToken(TokenService.NewToken body) {
        return Response.status(201).entity(tokens.create(context.require(), body)).build();
    }

    @GET
    @Path("tokens")
    @Operation(summary = "List your API tokens (without their secrets)")
    public Page<ApiToken> tokens(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        Caller caller = context.require();
        return tokens.list(caller, Page.Request.of(limit, cursor));
    }

    @DELETE
    @Path("tokens/{id}")
    @Operation(summary = "Revoke one of your API tokens")
    public Response deleteToken(@PathParam("id") String id) {
        tokens.delete(context.require(), id);
        return Response.noContent().build();
    }
}
