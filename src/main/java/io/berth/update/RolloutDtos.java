package io.berth.update;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.berth.image.ContainerImageDtos.ContainerImageView;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Wire shapes of check-updates: the image after the check and what happened to each linked application. */
public final class RolloutDtos {

    private RolloutDtos() {
    }

    /** What auto-update does, or did, with one application. */
    public enum Action {
        @JsonProperty("update")
        UPDATE,
        @JsonProperty("skip")
        SKIP
    }

    @Schema(name = "RolloutStep")
    @RegisterForReflection
    public record RolloutStep(UUID applicationId, String fromTag,
            @Schema(nullable = true) String toTag, @Schema(nullable = true) String toDigest, Action action,
            @Schema(nullable = true, description = "Why the application was skipped, or did not move.") String reason) {
    }

    /** The container image view, with the rollout list beside its fields. */
    @Schema(name = "ContainerImageCheck")
    @RegisterForReflection
    public record CheckView(@JsonUnwrapped ContainerImageView image,
            @Schema(description = "Per linked application: the plan (dryRun) or what was done.") List<RolloutStep> rollout) {
    }
}
