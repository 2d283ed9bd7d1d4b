package io.berth.api;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.jboss.logging.MDC;

/**
 * HTTP-level plumbing that must see every request, including those no JAX-RS resource handles:
 * the request id (first of all handlers), the error envelope for a body above
 * {@code quarkus.http.limits.max-body-size} (413), for unknown routes and for failures raised below
 * JAX-RS. Requests the HTTP decoder refuses before the router are answered by
 * {@link UndecodableRequests}.
 */
@ApplicationScoped
public class HttpRoutes {

    private final long maxBodySize;
    private final BodyHandler chunkedBodies;

    HttpRoutes(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBodySize = maxBodySize.asLongValue();
        this.chunkedBodies = BodyHandler.create(false).setBodyLimit(this.maxBodySize);
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::assignRequestId);
        // Before Quarkus's own checks (order -2 and while Quarkus REST reads), which answer an empty 413.
        router.route().order(Integer.MIN_VALUE + 1).handler(this::limitBody);
        router.route().order(Integer.MAX_VALUE).handler(this::unknownRoute);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
    }

    private void assignRequestId(RoutingContext ctx) {
        String id = RequestIds.acceptOrGenerate(ctx.request().getHeader(RequestIds.HEADER));
        MDC.put(RequestIds.MDC_KEY, id);
        ctx.put(RequestIds.MDC_KEY, id);
        ctx.response().putHeader(RequestIds.HEADER, id);
        if (ctx.request().version() == null) {
            // Netty parses any "HTTP/x.y"; Vert.x knows 1.0, 1.1 and 2 and leaves others null. Such a
            // request is not served: 505 (RFC 9110 §15.6.6) in the envelope, and the connection closes.
            ctx.response().putHeader("Connection", "close");
            write(ctx.response(), 505, new ApiError(ErrorCode.VALIDATION_ERROR, "HTTP version not supported.", null,
                    "Speak HTTP/1.1 (or HTTP/2).", id)).onComplete(done -> ctx.request().connection().close());
            return;
        }
        ctx.next();
    }

    /**
     * {@code quarkus.http.limits.max-body-size} with the envelope: a Content-Length above it is refused
     * before the body is read. A chunked body (no Content-Length) is read here, at most the limit, and
     * handed to Quarkus REST as read; one past the limit fails with 413 into {@link #failure}. Either
     * way the connection closes, as the unread rest of the body would otherwise follow. Any other
     * framing is refused first ({@link #refuseFraming}).
     */
    private void limitBody(RoutingContext ctx) {
        String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        List<String> codings = ctx.request().headers().getAll(HttpHeaders.TRANSFER_ENCODING);
        if (!codings.isEmpty() && (declared != null || codings.size() > 1
                || !"chunked".equalsIgnoreCase(codings.get(0).trim()))) {
            refuseFraming(ctx);
        } else if (declared != null && isAbove(declared, maxBodySize)) {
            refuseBody(ctx);
        } else if (!codings.isEmpty()) { // chunked alone
            chunkedBodies.handle(ctx);
        } else {
            ctx.next();
        }
    }

    /**
     * A body framed other than by Content-Length alone or by {@code Transfer-Encoding: chunked} alone:
     * the HTTP decoder would take its length from Content-Length where a proxy in front may follow
     * the transfer coding (request smuggling). RFC 9112 §6.3: a request whose final transfer coding is
     * not chunked gets 400 and the connection closes; one with both fields "ought to be handled as an
     * error" (§6.1), and this API takes no other codings.
     */
    private void refuseFraming(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        write(ctx.response(), 400, new ApiError(ErrorCode.VALIDATION_ERROR, "The request body's framing is not "
                + "supported: Transfer-Encoding other than chunked, or together with Content-Length.", null,
                "Send the body with Content-Length, or with Transfer-Encoding: chunked and no Content-Length.",
                requestId(ctx))).onComplete(done -> ctx.request().connection().close());
    }

    private void refuseBody(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        write(ctx.response(), 413, new ApiError(ErrorCode.VALIDATION_ERROR, "The request body is larger than "
                + maxBodySize + " bytes.", null, "Send a smaller JSON document.", requestId(ctx)))
                .onComplete(done -> ctx.request().connection().close());
    }

    private static boolean isAbove(String contentLength, long limit) {
        try {
            return Long.parseLong(contentLength.trim()) > limit;
        } catch (NumberFormatException notANumber) {
            return false; // the HTTP decoder already refused an invalid Content-Length
        }
    }

    private void unknownRoute(RoutingContext ctx) {
        write(ctx, 404, new ApiError(ErrorCode.NOT_FOUND, "No route for " + ctx.request().method() + " "
                + ctx.request().path() + ".", null, "See /q/openapi for the operations this API offers.",
                requestId(ctx)));
    }

    private void failure(RoutingContext ctx) {
        if (ctx.failure() != null && Failures.clientGone(ctx.failure())) {
            // the client closed the connection while its body was read (issue 15): not a server fault
            Log.debugf("Client went away before the request was read: %s", ctx.failure().toString());
            if (!ctx.response().ended() && !ctx.response().closed()) {
                ctx.response().setStatusCode(ExceptionMappers.CLIENT_CLOSED_REQUEST).end();
            }
            return;
        }
        if (ctx.response().headWritten()) {
            return;
        }
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        if (status == 413) {
            refuseBody(ctx);
        } else if (status >= 500) {
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
        write(ctx.response(), status, error);
    }

    /** Writes {@code error} as the envelope with {@code status} and the request id header; ends the response. */
    static Future<Void> write(HttpServerResponse response, int status, ApiError error) {
        response.setStatusCode(status);
        response.putHeader("Content-Type", "application/json");
        response.putHeader(RequestIds.HEADER, error.requestId());
        JsonObject body = new JsonObject().put("code", error.code().name()).put("message", error.message());
        if (error.hint() != null) {
            body.put("hint", error.hint());
        }
        return response.end(body.put("requestId", error.requestId()).encode());
    }
}
