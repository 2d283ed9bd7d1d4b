package io.berth.application;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.api.PatchRules;
import io.berth.api.ReadOnlyFields;
import io.berth.api.SingleLine;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Wire shapes of applications: creation/PUT bodies, the image PATCH, views and history snapshots. */
public final class ApplicationDtos {

    private ApplicationDtos() {
    }

    /** Fields a client may never send, dotted for nested ones, with what to do instead. */
    static final Map<String, String> READ_ONLY = ReadOnlyFields.with(
            "envIdRef", "An application cannot move; create it in the other environment instead.",
            "companyIdRef", "The company is taken from your token.",
            "hostname", "Hostnames are generated and stay with the application; GET /api/hostname/generate "
                    + "shows the form they take.",
            "isDeleted", "Use DELETE to delete an application.",
            "containerImageId", "Set when the environment tracks the application's repository as a container image.",
            "source.image.digest", "The digest is resolved from the registry when the image is validated.");

    private static final String KEEP = "Omit the field to keep its value.";

    /**
     * The partial PUT merges into the view (RFC 7396) and binds as {@link ApplicationCreate}, with
     * the documented exceptions: null inside resources and source.image (or for either as a whole)
     * keeps the value instead of removing it, environmentVariables replaces all variables instead
     * of merging them (so {@code "A": null} inside it is refused as a value, not a removal), and
     * name, source, port and environmentVariables cannot be null. source.containerRegistryId null
     * clears it.
     */
    static final PatchRules PUT = PatchRules.refusing(READ_ONLY)
            .required("name", "Omit the field to keep the name.")
            .required("environmentVariables", KEEP)
            .required("source", KEEP)
            .required("port", "Omit the field to keep the port.")
            .nullKeeps("resources", "resources.cpu", "resources.memory", "resources.storage",
                    "source.image", "source.image.name", "source.image.tag")
            .replaced("environmentVariables");

    // ---- responses ----------------------------------------------------------------------

    @Schema(name = "ApplicationImage")
    @RegisterForReflection
    public record ImageView(String name, String tag,
            @Schema(description = "The digest the tag had when validated: what runs.") String digest) {
    }

    @Schema(name = "ApplicationSource")
    @RegisterForReflection
    public record SourceView(ImageView image, UUID containerRegistryId) {
    }

    @Schema(name = "ApplicationResources")
    @RegisterForReflection
    public record ResourcesView(@Schema(description = "Millicores.") int cpu, @Schema(description = "MB.") int memory,
            @Schema(description = "MB.") int storage) {
    }

    @Schema(name = "Application")
    @RegisterForReflection
    public record ApplicationView(
            UUID id,
            String name,
            UUID envIdRef,
            UUID companyIdRef,
            SourceView source,
            ResourcesView resources,
            String hostname,
            int port,
            Map<String, String> environmentVariables,
            @JsonProperty("isDeleted") boolean isDeleted,
            UUID containerImageId,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt,
            String createdBy,
            String modifiedBy,
            long version) {

        static ApplicationView of(Application a) {
            return new ApplicationView(a.id, a.name, a.environmentId, a.companyId(),
                    new SourceView(new ImageView(a.imageName, a.imageTag, a.imageDigest), a.registryConnectionId),
                    new ResourcesView(a.cpu, a.memory, a.storage), a.hostname, a.port, Map.copyOf(a.environmentVariables),
                    a.deleted, a.containerImageId, a.createdAt, a.updatedAt, a.createdBy, a.modifiedBy, a.version);
        }
    }

    // ---- requests -----------------------------------------------------------------------

    @Schema(name = "ApplicationImageInput")
    @RegisterForReflection
    public record ImageInput(@Schema(examples = "nginx") @SingleLine String name,
            @Schema(examples = "1.25-alpine") @SingleLine String tag) {
    }

    /** In a PUT, absent members keep their value; containerRegistryId null clears it. */
    @Schema(name = "ApplicationSourceInput")
    @RegisterForReflection
    public record SourceInput(@Valid ImageInput image, @Schema(nullable = true) UUID containerRegistryId) {
    }

    @Schema(name = "ApplicationResourcesInput")
    @RegisterForReflection
    public record ResourcesInput(
            @Schema(minimum = "1", maximum = "64000", description = "Millicores; default 250.") @Min(1) @Max(64000) Integer cpu,
            @Schema(minimum = "16", maximum = "262144", description = "MB; default 256.") @Min(16) @Max(262144) Integer memory,
            @Schema(minimum = "0", maximum = "1048576", description = "MB; default 0.") @Min(0) @Max(1048576) Integer storage) {
    }

    @Schema(name = "ApplicationCreate")
    @RegisterForReflection
    public record ApplicationCreate(
            @Schema(required = true, description = "A DNS-1123 label: lower-case letters, digits and '-', at most "
                    + "56 characters (the hostname adds 7).", examples = "my-web-app") @NotNull @SingleLine String name,
            @Schema(required = true) @NotNull @Valid SourceInput source,
            @Valid ResourcesInput resources,
            @Schema(minimum = "1", maximum = "65535", defaultValue = "8080") @Min(1) @Max(65535) Integer port,
            Map<String, String> environmentVariables) {
    }

    /**
     * PUT, a partial update, as documented. Documentation only: the body is merged into the current
     * view and bound as {@link ApplicationCreate} (see {@link #PUT}).
     */
    @Schema(name = "ApplicationUpdate")
    @RegisterForReflection
    public record ApplicationUpdate(
            @SingleLine String name,
            @Valid SourceInput source,
            @Valid ResourcesInput resources,
            @Min(1) @Max(65535) Integer port,
            @Schema(description = "Replaces all variables.") Map<String, String> environmentVariables) {
    }

    /** The PATCH .../image body: imageName and imageTag required, containerRegistryId optional (null: a public image). */
    @Schema(name = "ApplicationImageUpdate")
    @RegisterForReflection
    public record ImageUpdate(
            @Schema(required = true, description = "nginx, ghcr.io/organization/public-repo, myregistry.azurecr.io/private-app")
            @SingleLine String imageName,
            @Schema(required = true, examples = "1.25-alpine") @SingleLine String imageTag,
            @Schema(description = "Required for private images.") UUID containerRegistryId) {
    }

    @Schema(name = "ApplicationRestore")
    @RegisterForReflection
    public record RestoreRequest(@Schema(required = true, minimum = "1") @NotNull @Min(1) Long version) {
    }

    // ---- history ------------------------------------------------------------------------

    /** What a version of an application held; stored as JSON with each version. */
    @Schema(name = "ApplicationSnapshot")
    @RegisterForReflection
    public record Snapshot(String name, String imageName, String imageTag, String imageDigest, UUID containerRegistryId,
            int cpu, int memory, int storage, int port, Map<String, String> environmentVariables, boolean isDeleted) {

        static Snapshot of(Application a) {
            return new Snapshot(a.name, a.imageName, a.imageTag, a.imageDigest, a.registryConnectionId, a.cpu, a.memory,
                    a.storage, a.port, Map.copyOf(a.environmentVariables), a.deleted);
        }
    }

    @Schema(name = "ApplicationVersion")
    @RegisterForReflection
    public record VersionView(long version, String changedBy, OffsetDateTime changedAt,
            @Schema(description = "The fields this version changed, or created / deleted / restored from N.")
            List<String> changes, Snapshot snapshot) {
    }

    @Schema(name = "Hostname")
    @RegisterForReflection
    public record HostnameView(String hostname) {
    }
}
