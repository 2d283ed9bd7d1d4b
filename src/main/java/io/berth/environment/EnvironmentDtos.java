package io.berth.environment;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.berth.api.PatchRules;
import io.berth.api.ReadOnlyFields;
import io.berth.api.SingleLine;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Wire shapes of environments. Registered for reflection: they travel inside {@code Response}
 * entities and through {@code treeToValue}, where the native build does not see them.
 */
public final class EnvironmentDtos {

    private EnvironmentDtos() {
    }

    private static final String NOT_BLANK = "[\\s\\S]*\\S[\\s\\S]*";

    /** Fields a client may never set, with what to do instead. */
    static final Map<String, String> READ_ONLY = ReadOnlyFields.COMMON;

    /** A PATCH merges into the view and binds as {@link EnvironmentCreate}; only description clears. */
    static final PatchRules PATCH = PatchRules.refusing(READ_ONLY)
            .required("name", "Send a name of 1 to 50 characters.")
            .required("tier", "Use one of development, staging, production.")
            .required("autoUpdatePolicy", "Use one of auto, approve, off.");

    private static final String POLICY = "What auto-update does with a candidate for an application here: auto rolls "
            + "it out, approve proposes it as a pending update (GET /api/environments/{envId}/pending-updates), off "
            + "leaves the application alone.";

    @Schema(name = "Environment")
    @RegisterForReflection
    public record EnvironmentView(
            UUID id,
            String name,
            String description,
            Tier tier,
            @Schema(description = POLICY) AutoUpdatePolicy autoUpdatePolicy,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt,
            String createdBy,
            String modifiedBy,
            long version) {

        static EnvironmentView of(Environment e) {
            return new EnvironmentView(e.id, e.name, e.description, e.tier, e.autoUpdatePolicy, e.createdAt, e.updatedAt,
                    e.createdBy, e.modifiedBy, e.version);
        }
    }

    @Schema(name = "EnvironmentCreate")
    @RegisterForReflection
    public record EnvironmentCreate(
            @Schema(required = true, minLength = 1, maxLength = 50, examples = "staging-eu")
            @NotNull @Size(min = 1, max = 50) @Pattern(regexp = NOT_BLANK, message = "must not be blank") @SingleLine String name,
            @Schema(maxLength = 500) @Size(max = 500) String description,
            @Schema(description = "Defaults to development.") Tier tier,
            @Schema(description = POLICY + " Defaults to approve for tier production, auto otherwise; changing the "
                    + "tier later keeps the policy.") AutoUpdatePolicy autoUpdatePolicy) {
    }

    /**
     * The documented shape of a merge-patch body: absent fields keep their value;
     * {@code description: null} clears it. Documentation only: the body is merged into the current
     * view and bound as {@link EnvironmentCreate} (see {@link #PATCH}).
     */
    @Schema(name = "EnvironmentPatch")
    @RegisterForReflection
    public record EnvironmentPatch(
            @Schema(minLength = 1, maxLength = 50) @Size(min = 1, max = 50)
            @Pattern(regexp = NOT_BLANK, message = "must not be blank") @SingleLine String name,
            @Schema(maxLength = 500, nullable = true) @Size(max = 500) String description,
            Tier tier,
            @Schema(description = POLICY) AutoUpdatePolicy autoUpdatePolicy) {
    }
}
