package io.berth.update;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.berth.update.PendingUpdate.Status;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Wire shape of pending updates (also the data of the io.berth.update.* change events). */
public final class PendingUpdateDtos {

    private PendingUpdateDtos() {
    }

    // Not "PendingUpdate": that schema is a container image's candidate waiting for minTagAgeMinutes.
    @Schema(name = "EnvironmentPendingUpdate", description = "A candidate auto-update proposed for one application, "
            + "waiting for approval (environments whose autoUpdatePolicy is approve).")
    @RegisterForReflection
    public record PendingUpdateView(
            UUID id,
            UUID environmentId,
            UUID applicationId,
            @Schema(nullable = true, description = "The container image whose check proposed it (null once deleted).")
            UUID containerImageId,
            @Schema(description = "The application's repository.") String imageName,
            @Schema(description = "The tag the application ran when it was proposed.") String fromTag,
            String fromDigest,
            @Schema(description = "The candidate tag.") String toTag,
            @Schema(description = "The candidate's digest, checked again at approval.") String toDigest,
            @Schema(description = "pending (waits for approve or reject), approved (the application moved), rejected "
                    + "(never proposed again for this application), superseded (a newer candidate replaced it, or it "
                    + "was stale at approval).") Status status,
            OffsetDateTime createdAt,
            @Schema(nullable = true) OffsetDateTime decidedAt,
            @Schema(nullable = true, description = "Who approved or rejected it, or what superseded it.") String decidedBy,
            long version) {

        static PendingUpdateView of(PendingUpdate p) {
            return new PendingUpdateView(p.id, p.environmentId, p.applicationId, p.containerImageId, p.imageName,
                    p.fromTag, p.fromDigest, p.toTag, p.toDigest, p.status, p.createdAt, p.decidedAt, p.decidedBy,
                    p.version);
        }
    }
}
