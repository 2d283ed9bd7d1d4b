package io.berth.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.MDC;

/**
 * HTTP-level plumbing that must see every request, including those no JAX-RS resource handles:
 * the request id (first of all handlers), and the error envelope for unknown routes and for
 * failures raised below JAX-RS.
 */
@ApplicationScoped
public class HttpRoutes {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::assignRequestId);
        router.route().order(Integer.MAX_VALUE).handler(this::unknownRoute);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
    }

    private void assignRequestId(RoutingContext ctx) {
        String id = RequestIds.acceptOrGenerate(ctx.request().getHeader(RequestIds.HEADER));
        MDC.put(RequestIds.MDC_KEY, id);
        ctx.put(RequestIds.MDC_KEY, id);
        ctx.response().putHeader(RequestIds.HEADER, id);
        ctx.next();
    }

    private void unknownRoute(RoutingContext ctx) {
        write(ctx, 404, new ApiError(ErrorCode.NOT_FOUND, "No route for " + ctx.request().method() + " "
                + ctx.request().path() + ".", null, "See /q/openapi for the operations this API offers.",
                requestId(ctx)));
    }

    private void failure(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            return;
        }
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        if (status >= 500) {
            Log.error("Request failed below the REST layer", ctx.failure());
            write(ctx, 500, new ApiError(ErrorCode.INTERNAL, "Internal error.", null,
                    "Quote the request id when reporting this.", requestId(ctx)));
        } else {
            ErrorCode code = status == 401 ? ErrorCode.UNAUTHORIZED
                    : status == 403 ? ErrorCode.FORBIDDEN_ROLE
                    : status == 404 ? ErrorCode.NOT_FOUND
                    : status == 429 ? ErrorCode.RATE_LIMITED : ErrorCode.VALIDATION_ERROR;
            write(ctx, status, new ApiError(code, "Request refused (HTTP " + status + ").", null, null,
                    requestId(ctx)));
        }
    }

    private static String requestId(RoutingContext ctx) {
        String id = ctx.get(RequestIds.MDC_KEY);
        return id != null ? id : RequestIds.current();
    }

    private static void write(RoutingContext ctx, int status, ApiError error) {
        HttpServerResponse response = ctx.response();
        response.setStatusCode(status);
        response.putHeader("Content-Type", "application/json");
        response.putHeader(RequestIds.HEADER, error.requestId());
        JsonObject body = new JsonObject().put("code", error.code().name()).put("message", error.message());
        if (error.hint() != null) {
            body.put("hint", error.hint());
        }
        response.end(body.put("requestId", error.requestId()).encode());
    }
}
