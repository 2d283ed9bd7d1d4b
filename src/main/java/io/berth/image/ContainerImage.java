package io.berth.image;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.berth.persistence.TenantOwnedEntity;

/** A repository tracked in one environment, with what the registry last said about it. */
// Only the columns a change touched are written (issue 15): a PATCH of one field is an UPDATE of that
// field, version and updated_at, not of every column.
@DynamicUpdate
@Entity
@Table(name = "container_images")
public class ContainerImage extends TenantOwnedEntity {

    @Column(name = "environment_id", nullable = false, updatable = false)
    public UUID environmentId;

    @Column(nullable = false, length = 100)
    public String name;

    /** As users write it: nginx, ghcr.io/org/app. */
    @Column(name = "image_name", nullable = false, updatable = false, length = 300)
    public String imageName;

    /** Normalized host/path, unique per environment: docker.io/library/nginx. */
    @Column(name = "image_ref", nullable = false, updatable = false, length = 300)
    public String imageRef;

    @Column(name = "tag_filter", nullable = false, length = 255)
    public String tagFilter;

    @Column(name = "registry_connection_id")
    public UUID registryConnectionId;

    @Column(name = "auto_update", nullable = false)
    public boolean autoUpdate;

    @Column(name = "best_tag", length = 128)
    public String bestTag;

    @Column(name = "latest_digest", length = 100)
    public String latestDigest;

    @Column(name = "update_available", nullable = false)
    public boolean updateAvailable;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "exposed_ports", nullable = false)
    public List<String> exposedPorts = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "platforms", nullable = false)
    public List<String> platforms = new ArrayList<>();

    @Column(name = "last_checked_at")
    public OffsetDateTime lastCheckedAt;

    @Column(name = "last_check_error", length = 1000)
    public String lastCheckError;

    @Enumerated(EnumType.STRING)
    @Column(name = "update_strategy", nullable = false, length = 20)
    public UpdateStrategy updateStrategy = UpdateStrategy.SEMVER;

    /** A candidate must be at least this old (0–43,200) before it is rolled out. */
    @Column(name = "min_tag_age_minutes", nullable = false)
    public int minTagAgeMinutes;

    /** When the scheduler checks the image next; null: as soon as it can. */
    @Column(name = "next_check_at")
    public OffsetDateTime nextCheckAt;

    /** Checks that failed in a row; the back-off grows with it. */
    @Column(name = "consecutive_failures", nullable = false)
    public int consecutiveFailures;

    @Column(name = "last_rollout_at")
    public OffsetDateTime lastRolloutAt;

    /** A candidate waiting for its minimum age: tag, digest and when it becomes eligible (all or none). */
    @Column(name = "pending_tag", length = 128)
    public String pendingTag;

    @Column(name = "pending_digest", length = 100)
    public String pendingDigest;

    @Column(name = "pending_eligible_at")
    public OffsetDateTime pendingEligibleAt;
}
