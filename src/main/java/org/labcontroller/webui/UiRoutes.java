package org.labcontroller.webui;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Serves the web UI's index page for the UI's own paths ({@code /labs/…/console}, {@code /users}),
 * so that a reload or a bookmark of any page works. Quinoa's SPA routing runs after REST, and
 * REST answers every path it does not know with a problem (our mappers take its 404), so this
 * route, ahead of REST, re-routes page paths to {@code /}: GET and HEAD of a path outside
 * {@code /api} and {@code /q} whose last segment has no dot (files such as
 * {@code /assets/index-…js} keep their own answer, or a 404).
 */
@ApplicationScoped
class UiRoutes {

    void routes(@Observes Router router) {
        router.route().order(-90).handler(UiRoutes::reroutePages);
    }

    static boolean isPagePath(String path) {
        if (path == null || path.equals("/") || path.startsWith("/api/") || path.equals("/api")
                || path.startsWith("/q/") || path.equals("/q")) {
            return false;
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        return !last.contains(".");
    }

    private static void reroutePages(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if ((method == HttpMethod.GET || method == HttpMethod.HEAD) && isPagePath(ctx.normalizedPath())) {
            ctx.reroute("/");
        } else {
            ctx.next();
        }
    }
}
