package io.berth.connection;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.berth.api.PatchRules;
import io.berth.api.ReadOnlyFields;
import io.berth.api.SingleLine;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Wire shapes of registry connections. {@code password} and {@code token} are write-only: no
 * response carries them, only {@code hasPassword} / {@code hasToken}; toString() never shows them.
 */
public final class RegistryConnectionDtos {

    private RegistryConnectionDtos() {
    }

    private static final String NOT_BLANK = "[\\s\\S]*\\S[\\s\\S]*";

    static final Map<String, String> READ_ONLY = ReadOnlyFields.with(
            "hasPassword", "Set or clear 'password' instead.",
            "hasToken", "Set or clear 'token' instead.",
            "hasWebhookSecret", "Rotate it with POST /api/registries/{id}/webhook-secret.",
            "imageCount", "Counted from the container images that use this connection.");

    private static final String KEEP = "Omit the field to keep its value.";

    /**
     * A PATCH merges into the view and binds as {@link RegistryConnectionCreate}; username clears
     * with null. password and token are write-only, so never in the view: absent keeps the stored
     * secret, null or "" clears it (the resource tells the service which were sent).
     */
    static final PatchRules PATCH = PatchRules.refusing(READ_ONLY)
            .required("name", KEEP).required("type", KEEP).required("insecure", KEEP)
            .required("registryUrl", KEEP).required("refreshIntervalMinutes", KEEP);

    @Schema(name = "RegistryConnection")
    @RegisterForReflection
    public record RegistryConnectionView(
            UUID id,
            String name,
            RegistryType type,
            @Schema(description = "host[:port]; docker.io is Docker Hub.") String registryUrl,
            String username,
            boolean hasPassword,
            boolean hasToken,
            @Schema(description = "Whether registry notifications (POST /api/hooks/registries/{id}) can authenticate: "
                    + "a webhook secret was made with POST /api/registries/{id}/webhook-secret.")
            boolean hasWebhookSecret,
            boolean insecure,
            int refreshIntervalMinutes,
            long imageCount,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt,
            String createdBy,
            String modifiedBy,
            long version) {
    }

    @Schema(name = "RegistryConnectionCreate")
    @RegisterForReflection
    public record RegistryConnectionCreate(
            @Schema(required = true, maxLength = 100) @NotNull @Size(min = 1, max = 100)
            @Pattern(regexp = NOT_BLANK, message = "must not be blank") @SingleLine String name,
            @Schema(description = "Defaults to generic.") RegistryType type,
            @Schema(description = "host[:port] (a scheme is accepted and removed). Defaults by type: docker.io, "
                    + "ghcr.io, registry.gitlab.com, quay.io; required for generic.", examples = "ghcr.io")
            @Size(min = 1, max = 255) @SingleLine String registryUrl,
            @Size(min = 1, max = 255) @SingleLine String username,
            @Schema(writeOnly = true) @Size(max = 1024) @SingleLine(allowSurroundingWhitespace = true) String password,
            @Schema(writeOnly = true, description = "An access token (PAT); used instead of the password.")
            @Size(max = 4096) @SingleLine String token,
            @Schema(description = "Allow plain HTTP. Only for registries on trusted networks.") Boolean insecure,
            @Schema(minimum = "5", maximum = "1440", defaultValue = "30") @Min(5) @Max(1440) Integer refreshIntervalMinutes) {

        @Override
        public String toString() {
            return "RegistryConnectionCreate[" + name + ", " + registryUrl + "]";
        }
    }

    /**
     * The documented shape of a merge-patch body: absent keeps; null clears username/password/token
     * ("" too for secrets). Documentation only: the body is merged into the current view and bound
     * as {@link RegistryConnectionCreate} (see {@link #PATCH}).
     */
    @Schema(name = "RegistryConnectionPatch")
    @RegisterForReflection
    public record RegistryConnectionPatch(
            @Size(min = 1, max = 100) @Pattern(regexp = NOT_BLANK, message = "must not be blank") @SingleLine String name,
            RegistryType type,
            @Size(min = 1, max = 255) @SingleLine String registryUrl,
            @Schema(nullable = true) @Size(min = 1, max = 255) @SingleLine String username,
            @Schema(writeOnly = true, nullable = true) @Size(max = 1024) @SingleLine(allowSurroundingWhitespace = true)
            String password,
            @Schema(writeOnly = true, nullable = true) @Size(max = 4096) @SingleLine String token,
            Boolean insecure,
            @Min(5) @Max(1440) Integer refreshIntervalMinutes) {

        @Override
        public String toString() {
            return "RegistryConnectionPatch[" + name + ", " + registryUrl + "]";
        }
    }

    /** The outcome of {@code POST /api/registries/{id}/test}. */
    @Schema(name = "RegistryConnectionTest")
    @RegisterForReflection
    public record ConnectionTestResult(
            boolean success,
            @Schema(description = "Null on success; else target, connect, tls, registry or credentials.",
                    enumeration = { "target", "connect", "tls", "registry", "credentials" }) String failedStep,
            String message,
            String registryUrl,
            long durationMs,
            @Schema(description = "Docker Hub's ratelimit-limit, when the registry sent one.") Integer rateLimitLimit,
            @Schema(description = "Docker Hub's ratelimit-remaining, when the registry sent one.") Integer rateLimitRemaining) {
    }

    @Schema(name = "RegistryTags")
    @RegisterForReflection
    public record TagList(String repository, int count, java.util.List<String> tags) {
    }
}
