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
        SKIP,
        /** The environment's autoUpdatePolicy is approve: the candidate is (or stays) a pending update. */
        @JsonProperty("propose")
        PROPOSE
    }

    @Schema(name = "RolloutStep")
    @RegisterForReflection
    public record RolloutStep(UUID applicationId, String fromTag,
            @Schema(nullable = true) String toTag, @Schema(nullable = true) String toDigest,
            @Schema(description = "update: moved (or would move); skip: left where it is, see reason; propose: "
                    + "the environment's autoUpdatePolicy is approve and the candidate waits as a pending update.")
            Action action,
            @Schema(nullable = true, description = "Why the application was skipped, did not move, or was proposed.")
            String reason,
            @Schema(nullable = true, description = "The pending update of a propose step (null in a dry run when "
                    + "none exists yet).") UUID pendingUpdateId) {

        public RolloutStep(UUID applicationId, String fromTag, String toTag, String toDigest, Action action, String reason) {
            this(applicationId, fromTag, toTag, toDigest, action, reason, null);
        }

        /** The same move with another action and reason. */
        public RolloutStep as(Action newAction, String newReason, UUID pendingUpdate) {
            return new RolloutStep(applicationId, fromTag, toTag, toDigest, newAction, newReason, pendingUpdate);
        }
    }

    /** The container image view, with the rollout list beside its fields. */
    @Schema(name = "ContainerImageCheck")
    @RegisterForReflection
    public record CheckView(@JsonUnwrapped ContainerImageView image,
            @Schema(description = "Per linked application: the plan (dryRun) or what was done.") List<RolloutStep> rollout) {
    }
}
