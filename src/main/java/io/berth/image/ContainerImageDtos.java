package io.berth.image;

import java.time.OffsetDateTime;
import java.util.List;
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

/** Wire shapes of container images: what a client sends to track a repository and what it reads back. */
public final class ContainerImageDtos {

    private ContainerImageDtos() {
    }

    private static final String NOT_BLANK = "[\\s\\S]*\\S[\\s\\S]*";
    private static final String DISCOVERED = "Discovered from the registry by check-updates. Change tagFilter or "
            + "registryConnectionId, or run POST /api/container-images/{id}/check-updates.";

    /** Read-only and create-only fields, with how to change each instead. */
    static final Map<String, String> READ_ONLY = ReadOnlyFields.with(
            "environmentId", "A container image cannot move; create it in the other environment instead.",
            "imageName", "imageName is fixed at creation. Create a new container image for the other "
                    + "repository, then delete this one.",
            "exposedPorts", "Exposed ports are discovered from the image's config. Push a new image whose "
                    + "Dockerfile EXPOSEs the port, then run POST /api/container-images/{id}/check-updates.",
            "platforms", "Platforms are discovered from the image index. Push a multi-platform image, then "
                    + "run check-updates.",
            "bestTag", DISCOVERED,
            "latestDigest", DISCOVERED,
            "updateAvailable", DISCOVERED,
            "lastCheckedAt", DISCOVERED,
            "lastCheckError", DISCOVERED,
            "nextCheckAt", "The scheduler sets it from the registry connection's refreshIntervalMinutes.",
            "lastRolloutAt", "Set when auto-update moves applications to a new image.",
            "pendingUpdate", "A candidate waiting for minTagAgeMinutes; lower minTagAgeMinutes to roll it out sooner.");

    /**
     * A PATCH merges into the view and binds as {@link ContainerImageCreate}: imageName is refused
     * in the patch but stays in the merged body (it is the one create-only field the record has);
     * registryConnectionId clears with null.
     */
    static final PatchRules PATCH = PatchRules.refusing(READ_ONLY).createOnly("imageName")
            .required("name", "Omit the field to keep the name.")
            .required("autoUpdate", "Send true or false.")
            .required("tagFilter", "Send a filter such as latest.")
            .required("updateStrategy", "Send semver, digest, newest-build, alphabetical or numerical.")
            .required("minTagAgeMinutes", "Send 0 to roll out candidates at once.");

    /** On creation imageName is the one create-only field that may be given. */
    static final Map<String, String> READ_ONLY_ON_CREATE = READ_ONLY.entrySet().stream()
            .filter(e -> !e.getKey().equals("imageName"))
            .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

    @Schema(name = "ContainerImage")
    @RegisterForReflection
    public record ContainerImageView(
            UUID id,
            UUID environmentId,
            String name,
            @Schema(description = "The repository without tag, as written at creation.") String imageName,
            String tagFilter,
            UUID registryConnectionId,
            boolean autoUpdate,
            @Schema(description = "The best tag matching tagFilter, read-only.") String bestTag,
            @Schema(description = "Digest of bestTag (the index digest for a multi-platform image), read-only.")
            String latestDigest,
            @Schema(description = "True when latestDigest differs from what the environment's applications run.")
            boolean updateAvailable,
            @Schema(description = "From the image config, e.g. 80/tcp; read-only.") List<String> exposedPorts,
            @Schema(description = "os/architecture[/variant] from the image index; read-only.") List<String> platforms,
            OffsetDateTime lastCheckedAt,
            String lastCheckError,
            UpdateStrategy updateStrategy,
            @Schema(description = "Minutes a candidate must have existed before it is rolled out.") int minTagAgeMinutes,
            @Schema(description = "When the scheduler checks next (autoUpdate only), read-only.") OffsetDateTime nextCheckAt,
            @Schema(description = "When auto-update last moved an application, read-only.") OffsetDateTime lastRolloutAt,
            @Schema(nullable = true, description = "A candidate waiting for minTagAgeMinutes, read-only.")
            PendingUpdate pendingUpdate,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt,
            String createdBy,
            String modifiedBy,
            long version) {

        public static ContainerImageView of(ContainerImage i) {
            return new ContainerImageView(i.id, i.environmentId, i.name, i.imageName, i.tagFilter, i.registryConnectionId,
                    i.autoUpdate, i.bestTag, i.latestDigest, i.updateAvailable, List.copyOf(i.exposedPorts),
                    List.copyOf(i.platforms), i.lastCheckedAt, i.lastCheckError, i.updateStrategy, i.minTagAgeMinutes,
                    i.autoUpdate ? i.nextCheckAt : null, i.lastRolloutAt,
                    i.pendingTag == null ? null : new PendingUpdate(i.pendingTag, i.pendingDigest, i.pendingEligibleAt),
                    i.createdAt, i.updatedAt, i.createdBy, i.modifiedBy, i.version);
        }
    }

    @Schema(name = "PendingUpdate")
    @RegisterForReflection
    public record PendingUpdate(String tag, String digest,
            @Schema(description = "When the candidate is old enough to be rolled out.") OffsetDateTime eligibleAt) {
    }

    @Schema(name = "ContainerImageCreate")
    @RegisterForReflection
    public record ContainerImageCreate(
            @Schema(required = true, minLength = 1, maxLength = 100) @NotNull @Size(min = 1, max = 100)
            @Pattern(regexp = NOT_BLANK, message = "must not be blank") @SingleLine String name,
            @Schema(required = true, description = "Repository without tag: nginx, ghcr.io/org/app, "
                    + "registry.example.com:5000/team/app. Unique per environment.", examples = "ghcr.io/org/app")
            @NotNull @Size(min = 1, max = 300) @SingleLine String imageName,
            @Schema(minLength = 1, maxLength = 255, defaultValue = "latest",
                    description = "Globs (1.*,latest), semver:<range> or regex:<pattern>.")
            @Size(min = 1, max = 255) @SingleLine String tagFilter,
            @Schema(nullable = true) UUID registryConnectionId,
            Boolean autoUpdate,
            @Schema(defaultValue = "semver") UpdateStrategy updateStrategy,
            @Schema(minimum = "0", maximum = "43200", defaultValue = "0") @Min(0) @Max(43_200) Integer minTagAgeMinutes) {
    }

    /**
     * The PATCH body (JSON merge patch, RFC 7396): absent keeps the value; registryConnectionId null clears it.
     * Documentation only: the body is merged into the current view and bound as
     * {@link ContainerImageCreate} (see {@link #PATCH}).
     */
    @Schema(name = "ContainerImagePatch")
    @RegisterForReflection
    public record ContainerImagePatch(
            @Schema(minLength = 1) @Size(min = 1, max = 100) @Pattern(regexp = NOT_BLANK, message = "must not be blank")
            @SingleLine String name,
            @Schema(minLength = 1) @Size(min = 1, max = 255) @Pattern(regexp = NOT_BLANK, message = "must not be blank")
            @SingleLine String tagFilter,
            @Schema(nullable = true) UUID registryConnectionId,
            Boolean autoUpdate,
            UpdateStrategy updateStrategy,
            @Schema(minimum = "0", maximum = "43200") @Min(0) @Max(43_200) Integer minTagAgeMinutes) {
    }

    @Schema(name = "ContainerImageTag")
    @RegisterForReflection
    public record TagInfo(String tag, boolean matchesFilter, boolean best,
            @Schema(description = "Known when check-updates has seen this tag; else null.") String digest) {
    }

    @Schema(name = "ContainerImageDiscovery")
    @RegisterForReflection
    public record DiscoveryInfo(String tag, String digest, OffsetDateTime discoveredAt) {
    }

    @Schema(name = "ContainerImageTags")
    @RegisterForReflection
    public record ImageTags(String imageName, String tagFilter, String bestTag, int count, List<TagInfo> tags,
            @Schema(description = "What check-updates found, newest first (the last 20 changes).")
            List<DiscoveryInfo> history) {
    }
}
