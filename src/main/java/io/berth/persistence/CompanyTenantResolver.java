package io.berth.persistence;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import io.quarkus.hibernate.orm.runtime.tenant.TenantResolver;

/**
 * Hibernate's tenant for each new session: the {@link CurrentTenant}'s company as a canonical UUID
 * string ({@link java.util.UUID#toString()}, lower case), or {@link CurrentTenant#NO_COMPANY}.
 * With {@code quarkus.hibernate-orm.multitenant=DISCRIMINATOR} Hibernate adds
 * {@code company_id = <tenant>} to every entity query, load by id and bulk statement, and writes it
 * into new rows ({@link TenantOwnedEntity}). No tenant is a "root" tenant: no session sees every
 * company. Quarkus asks only while a request context is active; without one Hibernate refuses to
 * open a session (system work runs through {@link Tenancy}).
 */
@PersistenceUnitExtension
@ApplicationScoped
public class CompanyTenantResolver implements TenantResolver {

    private final CurrentTenant current;

    public CompanyTenantResolver(CurrentTenant current) {
        this.current = current;
    }

    /** Used by Quarkus where no request is known (e.g. start-up): a tenant owning no rows. */
    @Override
    public String getDefaultTenantId() {
        return CurrentTenant.NO_COMPANY.toString();
    }

    @Override
    public String resolveTenantId() {
        return current.company().orElse(CurrentTenant.NO_COMPANY).toString();
    }
}
