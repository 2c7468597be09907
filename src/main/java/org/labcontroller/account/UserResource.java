package org.labcontroller.account;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.labcontroller.storage.Page;

/** User administration (admins only). */
@Path("/api/v1/users")
@Tag(name = "users")
public class UserResource {
    @Inject
    CallerContext context;
    @Inject
    AccountService accounts;
    @Inject
    TokenService tokens;

    @GET
    @Operation(summary = "List users")
    public Page<AccountService.UserView> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        Caller caller = context.require();
        return accounts.list(caller, Page.Request.of(limit, cursor));
    }

    @POST
    @Operation(summary = "Create a user with a role: admin, instructor or student")
    public Response create(AccountService.NewUser body) {
        return Response.status(201).entity(accounts.create(context.require(), body)).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One user")
    public AccountService.UserView get(@PathParam("id") String id) {
        return accounts.get(context.require(), id);
    }

    @PATCH
    @Path("{id}")
    @Operation(summary = "Change a user's role or password; either revokes all their sessions and API tokens")
    public AccountService.UserView update(@PathParam("id") String id, AccountService.UserPatch body) {
        return accounts.update(context.require(), id, body);
    }

    @GET
    @Path("{id}/tokens")
    @Operation(summary = "List a user's API tokens (without their secrets)")
    public Page<ApiToken> tokens(@PathParam("id") String id, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        Caller caller = context.require();
        return tokens.listOf(caller, id, Page.Request.of(limit, cursor));
    }

    @DELETE
    @Path("{id}/tokens/{tokenId}")
    @Operation(summary = "Revoke one of a user's API tokens")
    public Response revokeToken(@PathParam("id") String id, @PathParam("tokenId") String tokenId) {
        tokens.revokeOf(context.require(), id, tokenId);
        return Response.noContent().build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a user who owns no labs or templates")
    public Response delete(@PathParam("id") String id) {
        accounts.delete(context.require(), id);
        return Response.noContent().build();
    }
}
