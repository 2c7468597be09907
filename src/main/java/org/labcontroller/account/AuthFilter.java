package org.labcontroller.account;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.ErrorCode;

/**
 * Authenticates every REST request before it reaches a resource. A bearer token that does not
 * resolve is refused at once (a script should learn its token is bad, not see an anonymous
 * answer); a stale cookie is simply ignored. Cookie-authenticated writes must come from the
 * controller's own origin, as a second guard against cross-site requests besides SameSite.
 */
public class AuthFilter {
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    Authenticator authenticator;
    @Inject
    CallerContext context;
    @Inject
    AuthConfig config;

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request, HttpServerRequest http) {
        String bearer = Authenticator.bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (bearer != null) {
            Caller caller = authenticator.fromBearer(bearer).orElseThrow(() ->
                    new ApiException(ErrorCode.UNAUTHENTICATED, "The bearer token is unknown, expired or revoked"));
            context.set(caller, new Credential(true, Secrets.sha256(bearer)));
            return;
        }
        Cookie cookie = request.getCookies().get(config.cookieName());
        if (cookie == null) {
            return;
        }
        Optional<Caller> caller = authenticator.fromSession(cookie.getValue());
        if (caller.isPresent()) {
            if (!SAFE.contains(request.getMethod()) && !sameOrigin(request.getHeaderString("Origin"), http)) {
                throw ApiException.forbidden("Cross-origin request refused");
            }
            context.set(caller.get(), new Credential(false, Secrets.sha256(cookie.getValue())));
        }
    }

    /**
     * Whether a request's Origin header names the host it was sent to; no Origin (a non-browser
     * client) counts as the same origin. REST writes and stream upgrades both use this check.
     */
    public static boolean sameOrigin(String origin, HttpServerRequest http) {
        if (origin == null) {
            return true;
        }
        try {
            String host = http.authority() == null ? null : http.authority().toString();
            return host != null && host.equalsIgnoreCase(URI.create(origin).getRawAuthority());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
