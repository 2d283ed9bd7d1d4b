package io.berth.environment;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;

import io.berth.persistence.TenantOwnedEntity;

// Only the columns a change touched are written (issue 15): a PATCH of one field is an UPDATE of that
// field, version and updated_at, not of every column.
@DynamicUpdate
@Entity
@Table(name = "environments")
public class Environment extends TenantOwnedEntity {

    @Column(nullable = false, length = 50)
    public String name;

    @Column(length = 500)
    public String description;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public Tier tier;

    /**
     * What auto-update does with candidates here; {@code EnvironmentService} sets it at creation (default
     * by tier) and PATCH changes it. AUTO for rows made otherwise (fixtures), as before policies existed.
     */
    @Enumerated(EnumType.STRING)
    @Column(name = "auto_update_policy", nullable = false, length = 20)
    public AutoUpdatePolicy autoUpdatePolicy = AutoUpdatePolicy.AUTO;
}
