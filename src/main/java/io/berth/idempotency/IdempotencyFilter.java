package io.berth.idempotency;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import java.lang.reflect.Method;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.api.ApiException;
import io.berth.api.ErrorCode;
import io.berth.api.OpenApiErrors;
import io.berth.security.CallerContext;
import io.quarkus.logging.Log;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * {@code Idempotency-Key} on POST and PATCH of authenticated operations: the first request with a
 * key runs and, when it succeeds (2xx), its response is stored; the same key with the same request
 * replays it with {@code Idempotent-Replayed: true}; with a different request it is refused (422);
 * while the first still runs, a second gets 409. Failures are not stored, so they can be retried.
 */
public class IdempotencyFilter {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_KEY_LENGTH = 200;
    private static final String CLAIM = IdempotencyFilter.class.getName();

    @Inject
    IdempotencyStore store;
    @Inject
    CallerContext callers;
    @Inject
    ObjectMapper mapper;

    private record ClaimedKey(String caller, String key) {
    }

    /**
     * Runs after authentication and authorization, so only permitted requests take a key. Answers
     * the stored response for a completed key, or null to let the request proceed.
     */
    @ServerRequestFilter(priority = Priorities.USER)
    public Response onRequest(ContainerRequestContext request, ResourceInfo resource) throws IOException {
        String key = request.getHeaderString(HEADER);
        String method = request.getMethod();
        if (key == null || !("POST".equals(method) || "PATCH".equals(method)) || unsupported(resource.getResourceMethod())) {
            return null;
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ApiException.validation(HEADER, "Idempotency-Key must be 1 to " + MAX_KEY_LENGTH
                    + " visible ASCII characters.", "Use a random UUID per logical operation.");
        }
        String caller = callers.current().key();
        byte[] body = request.getEntityStream().readAllBytes();
        request.setEntityStream(new ByteArrayInputStream(body));
        IdempotencyStore.Claim claim = store.claim(caller, key, fingerprint(request, body));
        return switch (claim.outcome()) {
            case CLAIMED -> {
                request.setProperty(CLAIM, new ClaimedKey(caller, key));
                yield null;
            }
            case MISMATCH -> throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was already used for a different request.", HEADER,
                    "Use a new key for a new operation; reuse a key only to retry the identical request.");
            case IN_PROGRESS -> throw ApiException.conflict("A request with this Idempotency-Key is still being processed.",
                    "Wait for the first request to finish, then retry to receive its response.");
            case COMPLETED -> replay(claim.stored());
        };
    }

    /**
     * Operations whose answer must never be stored (it carries a secret shown once) say so in their
     * OpenAPI document, {@code @Operation(extensions = @Extension(name = "x-idempotency", value =
     * "unsupported"))}; the key is then ignored, as the document says.
     */
    static boolean unsupported(Method method) {
        Operation operation = method == null ? null : method.getAnnotation(Operation.class);
        if (operation == null) {
            return false;
        }
        for (Extension extension : operation.extensions()) {
            if (OpenApiErrors.IDEMPOTENCY.equals(extension.name()) && "unsupported".equals(extension.value())) {
                return true;
            }
        }
        return false;
    }

    @ServerResponseFilter
    public void onResponse(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(CLAIM) instanceof ClaimedKey claimed)) {
            return;
        }
        request.removeProperty(CLAIM);
        try {
            if (response.getStatus() >= 200 && response.getStatus() < 300) {
                store.complete(claimed.caller(), claimed.key(), new IdempotencyStore.Stored(response.getStatus(),
                        response.hasEntity() ? mapper.writeValueAsString(response.getEntity()) : null,
                        response.getHeaderString(HttpHeaders.LOCATION), response.getHeaderString(HttpHeaders.ETAG)));
            } else {
                store.release(claimed.caller(), claimed.key());
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // The operation itself succeeded or failed already; only its replay is lost. The key
            // unlocks itself after berth.idempotency.abandoned-after.
            Log.warnf("Could not record the outcome of Idempotency-Key for %s: %s", claimed.caller(), e.getMessage());
        }
    }

    private static Response replay(IdempotencyStore.Stored stored) {
        Response.ResponseBuilder builder = Response.status(stored.status()).header(REPLAYED, "true");
        if (stored.body() != null) {
            builder.entity(stored.body()).type(MediaType.APPLICATION_JSON_TYPE);
        }
        if (stored.location() != null) {
            builder.header(HttpHeaders.LOCATION, stored.location());
        }
        if (stored.etag() != null) {
            builder.header(HttpHeaders.ETAG, stored.etag());
        }
        return builder.build();
    }

    /** Same request = same method, path, query and body bytes. */
    private static String fingerprint(ContainerRequestContext request, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((request.getMethod() + " " + request.getUriInfo().getRequestUri().getRawPath() + "?"
                    + request.getUriInfo().getRequestUri().getRawQuery() + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
