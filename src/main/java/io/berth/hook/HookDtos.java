package io.berth.hook;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Wire shapes of registry webhooks. */
public final class HookDtos {

    private HookDtos() {
    }

    /** The 202 answer to a notification: what was read from it; the checks follow asynchronously. */
    @Schema(name = "RegistryNotificationReceipt")
    @RegisterForReflection
    public record Receipt(
            @Schema(description = "The kind of notification recognized.",
                    enumeration = { "distribution", "docker-hub", "github", "harbor", "quay" }) String source,
            @Schema(description = "Pushed repository:tag pairs recorded to be confirmed at the registry and checked.")
            int accepted,
            @Schema(description = "Pushes named but not acted on: Distribution events older than 5 minutes, or names "
                    + "that are no valid repository:tag. Events that are no tagged pushes (pulls, deletes, blobs, pings) "
                    + "are in neither count.")
            int ignored) {
    }

    /** The answer of {@code POST /api/registries/{id}/webhook-secret}: the only time the secret is shown. */
    @Schema(name = "RegistryWebhookSecret")
    @RegisterForReflection
    public record Secret(
            @Schema(description = "The new secret. Shown only in this answer; store it in the registry's webhook "
                    + "settings now. The previous secret stops working at once.") String secret,
            @Schema(description = "Where the registry sends notifications, for registries that send the secret in a "
                    + "header (Distribution: Authorization: Bearer <secret>; Harbor: auth header) or sign with it "
                    + "(GitHub).") String url,
            @Schema(description = "The same address with ?token=<secret>, for registries that can send no header "
                    + "(Docker Hub, Quay). Treat it as the secret.") String urlWithToken) {

        @Override
        public String toString() {
            return "Secret[" + url + "]"; // never the secret
        }
    }
}
