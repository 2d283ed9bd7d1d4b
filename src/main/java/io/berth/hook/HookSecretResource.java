package io.berth.hook;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.berth.connection.WebhookSecrets;
import io.berth.hook.HookDtos.Secret;
import io.berth.security.CallerContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /api/registries/{id}/webhook-secret}: a new webhook secret for a connection, answered
 * once with the URL to configure. Here rather than beside the connection's other operations because
 * the URL it answers is this feature's.
 */
@Path("/api/registries/{id}/webhook-secret")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Registry connections")
public class HookSecretResource {

    private final WebhookSecrets secrets;
    private final CallerContext callers;
    private final HookConfig config;

    public HookSecretResource(WebhookSecrets secrets, CallerContext callers, HookConfig config) {
        this.secrets = secrets;
        this.callers = callers;
        this.config = config;
    }

    @POST
    @SecurityRequirement(name = "bearer", scopes = "registries:write")
    // The answer carries the secret: it must not be stored for Idempotency-Key replays (IdempotencyFilter reads
    // the extension).
    @Operation(operationId = "rotateRegistryWebhookSecret", summary = "Make a new webhook secret for registry notifications",
            extensions = @Extension(name = "x-idempotency", value = "unsupported"),
            description = "Makes a new secret for POST /api/hooks/registries/{id} and answers it once, with the URL to "
                    + "configure at the registry (see the README, Registry webhooks); the previous secret stops working "
                    + "at once. The secret is stored encrypted and never shown again (hasWebhookSecret tells whether "
                    + "one exists). Idempotency-Key is ignored here: a replay would have to store the secret. Needs "
                    + "registries:write and role operator or admin.")
    @APIResponse(responseCode = "200", description = "The new secret and where to send notifications.",
            content = @Content(schema = @Schema(implementation = Secret.class)))
    public Response rotate(@PathParam("id") UUID id, @Context UriInfo uri) {
        String secret = secrets.rotate(callers.current(), id);
        String base = config.publicUrl().map(u -> u.endsWith("/") ? u : u + "/").orElse(uri.getBaseUri().toString());
        String url = URI.create(base).resolve("api/hooks/registries/" + id).toString();
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.ok(new Secret(secret, url, url + "?token=" + URLEncoder.encode(secret, StandardCharsets.UTF_8)))
                .cacheControl(noStore).build();
    }
}
