package io.berth.webhook;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.berth.api.PatchRules;
import io.berth.api.ReadOnlyFields;
import io.berth.api.SingleLine;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Wire shapes of webhook subscriptions. {@code secret} is write-only: no response carries it. */
public final class WebhookDtos {

    private WebhookDtos() {
    }

    static final Map<String, String> READ_ONLY = ReadOnlyFields.with(
            "failing", "Set by deliveries: true after one was given up, false after the next success.");

    private static final String KEEP = "Omit the field to keep its value.";

    /** A PATCH merges into the view and binds as {@link WebhookCreate}; secret absent keeps the stored one. */
    static final PatchRules PATCH = PatchRules.refusing(READ_ONLY)
            .required("url", KEEP).required("types", KEEP).required("active", KEEP).required("secret", KEEP);

    @Schema(name = "Webhook")
    @RegisterForReflection
    public record WebhookView(
            UUID id,
            String url,
            @Schema(description = "CloudEvents types delivered; empty: all.") List<String> types,
            boolean active,
            @Schema(description = "A delivery was given up after berth.webhooks.max-age (24 h); cleared by the next success.")
            boolean failing,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt,
            String createdBy,
            String modifiedBy,
            long version) {

        static WebhookView of(Webhook w) {
            return new WebhookView(w.id, w.url, List.copyOf(w.types), w.active, w.failing, w.createdAt, w.updatedAt,
                    w.createdBy, w.modifiedBy, w.version);
        }
    }

    @Schema(name = "WebhookCreate")
    @RegisterForReflection
    public record WebhookCreate(
            @Schema(required = true, description = "Where events are POSTed: HTTPS (plain HTTP only for"
                    + " berth.webhooks.insecure-hosts); no internal address unless allow-listed; no redirects followed.",
                    maxLength = 2000, examples = "https://hooks.example.com/berth")
            @NotNull @Size(min = 1, max = 2000) @SingleLine String url,
            @Schema(writeOnly = true, description = "Standard Webhooks secret: whsec_ + base64 of 24–64 random bytes"
                    + " (e.g. whsec_$(openssl rand -base64 32)). Required when creating.", maxLength = 200)
            @Size(max = 200) @SingleLine String secret,
            @Schema(description = "CloudEvents types to deliver (see GET /api/events); empty or absent: all.")
            @Size(max = 50) List<@NotNull @Size(min = 1, max = 100) String> types,
            @Schema(description = "Defaults to true.") Boolean active) {

        @Override
        public String toString() {
            return "WebhookCreate[" + url + "]"; // never the secret
        }
    }

    /** The documented merge-patch body: absent keeps (secret included). Documentation only. */
    @Schema(name = "WebhookPatch")
    @RegisterForReflection
    public record WebhookPatch(
            @Size(min = 1, max = 2000) @SingleLine String url,
            @Schema(writeOnly = true) @Size(max = 200) @SingleLine String secret,
            List<String> types,
            Boolean active) {

        @Override
        public String toString() {
            return "WebhookPatch[" + url + "]";
        }
    }

    @Schema(name = "WebhookDelivery")
    @RegisterForReflection
    public record DeliveryView(
            String eventId,
            @Schema(description = "The event's position in the feed.") long sequence,
            @Schema(enumeration = { "pending", "delivered", "failed" }) String status,
            OffsetDateTime nextAttemptAt,
            OffsetDateTime finishedAt,
            List<AttemptView> attempts) {
    }

    @Schema(name = "WebhookAttempt")
    @RegisterForReflection
    public record AttemptView(
            int attempt,
            OffsetDateTime at,
            @Schema(description = "The receiver's HTTP status; null when none came.") Integer status,
            long durationMs,
            @Schema(description = "Why the attempt failed, when it did.") String error) {
    }
}
