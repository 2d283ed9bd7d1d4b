package io.berth.api;

import java.util.Map;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.VertxOptionsCustomizer;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingOptions;
import io.vertx.core.tracing.TracingPolicy;

/**
 * The error envelope for requests the HTTP/1.1 decoder cannot decode: a request line longer than
 * {@code quarkus.http.limits.max-initial-line-length} (414), headers larger than
 * {@code quarkus.http.limits.max-header-size} (431), and malformed request lines or headers, such
 * as a control character in a header value (400). Such requests never reach the router, so
 * neither {@link HttpRoutes} nor the access log sees them.
 *
 * <p>Why a tracer: Vert.x answers these requests with its {@code invalidRequestHandler} (by default
 * an empty body) and Quarkus 3.31 neither sets nor exposes {@code HttpServer#invalidRequestHandler}
 * (quarkusio/quarkus#55082). Each connection keeps its own copy of that handler, and Vert.x reports
 * the start of every request, decodable or not, to the Vert.x tracer <em>before</em> it picks the
 * handler ({@code Http1xServerConnection#handleMessage}). So this customizer installs a tracer
 * that traces nothing: for a request that failed decoding it points that connection's
 * invalid-request handler to {@link #refuse}. If another tracer (OpenTelemetry) owns the SPI, it
 * stays out of the way and logs a warning; {@code HttpLimitsTest} then fails.
 *
 * <p>The answer is {@code VALIDATION_ERROR} with the decoder's status (414, 431 or 400), the
 * client's {@code X-Request-Id} when it could be read and is sane (else a fresh id), and
 * {@code Connection: close}: the decoder discards the rest of the connection's bytes.
 */
@Singleton
public class UndecodableRequests implements VertxOptionsCustomizer {

    private final int maxInitialLineLength;
    private final long maxHeaderSize;

    UndecodableRequests(
            @ConfigProperty(name = "quarkus.http.limits.max-initial-line-length") int maxInitialLineLength,
            @ConfigProperty(name = "quarkus.http.limits.max-header-size") MemorySize maxHeaderSize) {
        this.maxInitialLineLength = maxInitialLineLength;
        this.maxHeaderSize = maxHeaderSize.asLongValue();
    }

    @Override
    public void accept(VertxOptions options) {
        if (options.getTracingOptions() != null) {
            Log.warn("A Vert.x tracer is configured: undecodable HTTP requests get Vert.x's empty answers");
            return;
        }
        VertxTracer<Object, Object> tracer = new RefusalTracer(this::refuse);
        options.setTracingOptions(new TracingOptions().setFactory(tracingOptions -> tracer));
    }

    /** Answers one request the decoder rejected, then closes its connection. */
    void refuse(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        String id = RequestIds.acceptOrGenerate(request.headers().get(RequestIds.HEADER));
        ApiError error;
        int status;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            error = new ApiError(ErrorCode.VALIDATION_ERROR, "The request line (method, path and query) is longer than "
                    + maxInitialLineLength + " bytes.", null, "Shorten the path and query; this API takes no long URLs.", id);
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            error = new ApiError(ErrorCode.VALIDATION_ERROR, "The request headers are larger than " + maxHeaderSize
                    + " bytes in total.", null, "Send fewer or smaller headers (cookies are not needed here).", id);
        } else {
            status = 400;
            error = new ApiError(ErrorCode.VALIDATION_ERROR, "The request is not valid HTTP/1.1: malformed request line "
                    + "or header.", null, "Header names are tokens, header values have no control characters.", id);
        }
        // In place of the access log line these requests never get. The decoder's message may quote client
        // input, so only its type is logged. No MDC: this may run on the event loop's own context.
        Log.infof("Refused an undecodable HTTP request from %s: %d (%s) requestId=%s", request.remoteAddress(), status,
                cause == null ? "unknown" : cause.getClass().getSimpleName(), id);
        request.response().putHeader("Connection", "close");
        HttpRoutes.write(request.response(), status, error).onComplete(done -> request.connection().close());
    }

    /** A Vert.x tracer that traces nothing and only routes undecodable requests to their envelope. */
    private record RefusalTracer(Handler<HttpServerRequest> refusal) implements VertxTracer<Object, Object> {

        @Override
        public <R> Object receiveRequest(Context context, SpanKind kind, TracingPolicy policy, R request,
                String operation, Iterable<Map.Entry<String, String>> headers, TagExtractor<R> tagExtractor) {
            if (request instanceof HttpServerRequest http && http.decoderResult().isFailure()
                    && http.connection() instanceof HttpServerConnection connection) {
                connection.invalidRequestHandler(refusal);
            }
            return null;
        }
    }
}
