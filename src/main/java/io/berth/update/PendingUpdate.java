package io.berth.update;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.persistence.TenantOwnedEntity;

/**
 * A candidate auto-update proposed for one application of an environment whose autoUpdatePolicy is
 * {@code approve}: the application's image then (from) and the candidate (to), and the decision.
 */
// Only the columns a change touched are written (issue 15): a PATCH of one field is an UPDATE of that
// field, version and updated_at, not of every column.
@DynamicUpdate
@Entity
@Table(name = "pending_updates")
public class PendingUpdate extends TenantOwnedEntity {

    /** Where a pending update is in its life; only {@code PENDING} can change. */
    @Schema(name = "PendingUpdateStatus")
    public enum Status {
        /** Waiting for approve or reject. */
        @JsonProperty("pending")
        PENDING,
        /** Approved: the application was moved to the candidate. */
        @JsonProperty("approved")
        APPROVED,
        /** Rejected: the candidate is never proposed again for this application. */
        @JsonProperty("rejected")
        REJECTED,
        /** Replaced by a newer candidate, or found stale at approval (the tag moved, the application changed). */
        @JsonProperty("superseded")
        SUPERSEDED
    }

    @Column(name = "environment_id", nullable = false, updatable = false)
    public UUID environmentId;

    @Column(name = "application_id", nullable = false, updatable = false)
    public UUID applicationId;

    /** The container image whose check proposed it; null once that image is deleted. */
    @Column(name = "container_image_id")
    public UUID containerImageId;

    /** The application's repository as written (nginx, ghcr.io/org/app). */
    @Column(name = "image_name", nullable = false, updatable = false, length = 300)
    public String imageName;

    @Column(name = "from_tag", nullable = false, updatable = false, length = 128)
    public String fromTag;

    @Column(name = "from_digest", nullable = false, updatable = false, length = 100)
    public String fromDigest;

    @Column(name = "to_tag", nullable = false, updatable = false, length = 128)
    public String toTag;

    @Column(name = "to_digest", nullable = false, updatable = false, length = 100)
    public String toDigest;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public Status status = Status.PENDING;

    @Column(name = "decided_at")
    public OffsetDateTime decidedAt;

    /** Who approved or rejected it, or what superseded it ({@code system:auto-update} or the approver). */
    @Column(name = "decided_by", length = 255)
    public String decidedBy;
}
