package org.labcontroller.account;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Login and logout: turns credentials into a session cookie and back. */
@Path("/api/v1/auth")
@Tag(name = "auth")
public class AuthResource {
    @Inject
    LoginService logins;
    @Inject
    CallerContext context;
    @Inject
    AuthConfig config;
    @Inject
    Clock clock;
    @Inject
    Invitations invitations;

    public record Credentials(String username, String password) {
    }

    /** The body of a set-password request: the one-time link's token and the new password. */
    public record SetPassword(String token, String password) {
    }

    @POST
    @Path("set-password")
    @Operation(summary = "Set the password of an account made from a course roster, with the one-time token of its"
            + " set-password link; answers 204, then log in. The link works once and expires (lab.auth.set-password-link-lifetime)")
    public Response setPassword(SetPassword body) {
        invitations.setPassword(body == null ? null : body.token(), body == null ? null : body.password());
        return Response.noContent().build();
    }

    @POST
    @Path("login")
    @Operation(summary = "Log in; answers 204 with an HttpOnly, SameSite=Strict session cookie")
    public Response login(Credentials body, HttpServerRequest http) {
        var session = logins.login(body == null ? null : body.username(), body == null ? null : body.password(),
                http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress());
        int maxAge = (int) ((session.expiresAt() - clock.millis()) / 1000);
        return Response.noContent().cookie(cookie(session.cookieValue(), maxAge)).build();
    }

    @POST
    @Path("logout")
    @Operation(summary = "Log out: ends the session and clears the cookie")
    public Response logout() {
        logins.logout(context.sessionHash());
        return Response.noContent().cookie(cookie("", 0)).build();
    }

    private NewCookie cookie(String value, int maxAge) {
        return new NewCookie.Builder(config.cookieName()).value(value).path("/").maxAge(maxAge)
                .httpOnly(true).secure(config.cookieSecure()).sameSite(NewCookie.SameSite.STRICT).build();
    }
}
