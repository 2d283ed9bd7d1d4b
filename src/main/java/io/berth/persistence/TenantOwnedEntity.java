package io.berth.persistence;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Version;

import org.hibernate.annotations.FilterDef;
import org.hibernate.annotations.JavaType;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.ParamDef;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

/**
 * Columns every resource row has: its id, the company it belongs to, who made and last changed
 * it, when, and the version that grows by one on each change (optimistic locking and ETags).
 * The company is Hibernate's tenant id: Hibernate writes it into new rows from the session's tenant
 * (refusing a different one) and filters every query by it, so code cannot set or ignore it.
 * <p>
 * The {@code @FilterDef} declares, ahead of Hibernate, the filter {@code @TenantId} would define
 * itself ({@code org.hibernate.binder.internal.TenantIdBinder}: name {@code _tenantId}, parameter
 * {@code tenantId}, applied to loads by id too), with one difference: its parameter binds as a
 * PostgreSQL {@code uuid} ({@link CompanyIdJavaType}). Hibernate's own definition would type it by
 * the attribute's Java class, String, bind a {@code varchar}, and PostgreSQL refuses
 * {@code uuid = varchar}.
 */
@FilterDef(name = "_tenantId", parameters = @ParamDef(name = "tenantId", type = CompanyIdJavaType.class),
        applyToLoadByKey = true)
@MappedSuperclass
public abstract class TenantOwnedEntity {

    @Id
    @GeneratedValue
    public UUID id;

    /** The owning company as a canonical UUID string (see {@link CompanyIdJavaType}); set by Hibernate. */
    @TenantId
    @JavaType(CompanyIdJavaType.class)
    @JdbcTypeCode(SqlTypes.UUID)
    @Column(name = "company_id", nullable = false, updatable = false)
    private String company;

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

    /**
     * The owning company. Null for a new row until it is flushed: Hibernate writes the session's
     * company at the insert (and refuses any other).
     */
    public UUID companyId() {
        return company == null ? null : UUID.fromString(company);
    }

    /**
     * Records {@code subject} (the token's {@code sub}, at most 255 characters) as creator and last
     * modifier of a new row. The company comes from the session when the row is persisted.
     */
    public void ownBy(String subject) {
        createdBy = subject;
        modifiedBy = subject;
    }

    /** Records {@code subject} as the last modifier; updatedAt and version follow on flush. */
    public void touchBy(String subject) {
        modifiedBy = subject;
    }

    @PrePersist
    void onCreate() {
        createdAt = DbTime.now();
        updatedAt = createdAt;
    }

    @PreUpdate
    void onUpdate() {
        updatedAt = DbTime.now();
    }
}
