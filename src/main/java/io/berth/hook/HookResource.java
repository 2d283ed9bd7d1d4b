package io.berth.hook;

import java.io.InputStream;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.berth.api.ExceptionMappers;
import io.berth.hook.HookDtos.Receipt;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /api/hooks/registries/{connectionId}}: where registries send push notifications. No
 * JWT (registries have none): authenticated per connection by its webhook secret in
 * {@link HookService}, which this resource only feeds with the raw request.
 */
@Path("/api/hooks/registries")
@Tag(name = "Registry webhooks", description = "Push notifications from registries: a check within seconds of a push.")
public class HookResource {

    private final HookService hooks;

    public HookResource(HookService hooks) {
        this.hooks = hooks;
    }

    @POST
    @Path("/{connectionId}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    // Registries send no Idempotency-Key, and a key needs a caller to belong to: ignored (IdempotencyFilter).
    @Operation(operationId = "receiveRegistryNotification", summary = "Receive a registry's push notification",
            extensions = @Extension(name = "x-idempotency", value = "unsupported"),
            description = "For registries, not people: no JWT. The request must carry the connection's webhook secret "
                    + "(POST /api/registries/{id}/webhook-secret): X-Hub-Signature-256 (GitHub: sha256= HMAC of the body), "
                    + "else Authorization: Bearer <secret> or the bare secret (Distribution, Harbor), else ?token=<secret> "
                    + "(Docker Hub, Quay). Accepted: CNCF Distribution events (application/vnd.docker.distribution.events"
                    + ".v1+json), Docker Hub, GitHub package events, Harbor PUSH_ARTIFACT and Quay repository pushes. "
                    + "Each pushed repository:tag is confirmed with a HEAD at the registry (the connection's "
                    + "credentials), deduplicated by digest, and makes the auto-updated container images of this "
                    + "connection that track it due at once; their check rolls applications out by the auto-update rules. "
                    + "Answers 202 before that work, which survives a restart. 401 for a missing or wrong secret and for "
                    + "an unknown connection alike, and for a notification whose own time (Harbor occur_at, Docker Hub "
                    + "pushed_at) is more than 5 minutes off or a GitHub delivery seen before (replay); Distribution "
                    + "events older than that are ignored (202). 413 above 1 MiB, 400 for an unknown payload, 429 "
                    + "above the connection's budget (berth.hooks.rate-limit-requests per berth.hooks.rate-limit-period).")
    @RequestBody(required = true, content = {
            @Content(mediaType = Notifications.DISTRIBUTION_TYPE, schema = @Schema(type = SchemaType.OBJECT,
                    description = "Distribution's envelope: {\"events\": [{\"action\": \"push\", \"timestamp\": ..., "
                            + "\"target\": {\"repository\", \"tag\", \"digest\"}}]}.")),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT,
                    description = "A Docker Hub, GitHub package, Harbor or Quay notification as the registry sends it.")) })
    @APIResponse(responseCode = "202", description = "Authenticated and recorded; the checks follow within seconds.",
            content = @Content(schema = @Schema(implementation = Receipt.class)))
    public Response receive(
            @Parameter(description = "The registry connection's id.", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @PathParam("connectionId") String connectionId,
            @Parameter(description = "The webhook secret, for registries that cannot send a header (Docker Hub, Quay).")
            @QueryParam("token") String token,
            @Parameter(description = "Bearer <secret>, or the bare secret.") @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "GitHub: sha256=<hex HMAC-SHA256 of the raw body under the secret>.")
            @HeaderParam(HookAuth.SIGNATURE_HEADER) String signature,
            @Parameter(description = "GitHub: the event (package, ping, ...).") @HeaderParam("X-GitHub-Event") String githubEvent,
            @Parameter(description = "GitHub: the delivery's id.") @HeaderParam("X-GitHub-Delivery") String githubDelivery,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            InputStream body) {
        var incoming = new HookService.Incoming(connectionId, new Notifications.Headers(contentType, githubEvent, githubDelivery),
                new HookAuth.Presented(signature, authorization, token), body);
        try {
            return Response.accepted(hooks.receive(incoming)).type(MediaType.APPLICATION_JSON_TYPE).build();
        } catch (HookService.TooLarge e) {
            return Response.fromResponse(ExceptionMappers.toResponse(e.error())).status(413).header("Connection", "close")
                    .build();
        }
    }
}
