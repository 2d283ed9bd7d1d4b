package io.berth.persistence;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Version;

import io.berth.security.Caller;

/**
 * Columns every resource row has: its id, the company it belongs to, who made and last changed
 * it, when, and the version that grows by one on each change (optimistic locking and ETags).
 */
@MappedSuperclass
public abstract class TenantOwnedEntity {

    @Id
    @GeneratedValue
    public UUID id;

    @Column(name = "company_id", nullable = false, updatable = false)
    public UUID companyId;

    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Column(name = "created_by", nullable = false, updatable = false)
    public String createdBy;

    @Column(name = "modified_by", nullable = false)
    public String modifiedBy;

    /** Starts at 1 (the API's first version); Hibernate adds one on every update. */
    @Version
    @Column(nullable = false)
    public long version = 1;

    /** Makes a new row the caller's: their company, and them as creator. */
    public void ownBy(Caller caller) {
        companyId = caller.companyId();
        createdBy = caller.subject();
        modifiedBy = caller.subject();
    }

    public void touchBy(Caller caller) {
        modifiedBy = caller.subject();
    }

    @PrePersist
    void onCreate() {
        createdAt = now();
        updatedAt = createdAt;
    }

    @PreUpdate
    void onUpdate() {
        updatedAt = now();
    }

    /** PostgreSQL keeps microseconds: truncate so what we answer equals what a later read returns. */
    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
