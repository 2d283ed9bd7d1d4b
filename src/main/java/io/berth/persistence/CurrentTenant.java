package io.berth.persistence;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;

/**
 * The company whose rows the current unit of work may see: set once per request (by the security
 * layer once the bearer token is checked, or by {@link Tenancy} for system work), read by
 * {@link CompanyTenantResolver} when Hibernate opens a session. Without a company the session is
 * opened for {@link #NO_COMPANY} and sees no company's rows.
 */
@RequestScoped
public class CurrentTenant {

    /**
     * The tenant of sessions opened without a company (unauthenticated paths, system queries that
     * enumerate companies with native SQL): the nil UUID, which no company row carries.
     */
    public static final UUID NO_COMPANY = new UUID(0, 0);

    private UUID company;

    /**
     * Makes {@code company} the tenant of this request.
     *
     * @throws IllegalStateException if another company was set already: a session may have been
     *         opened for it, and a request never changes company
     */
    public void set(UUID company) {
        Objects.requireNonNull(company, "company");
        if (this.company != null && !this.company.equals(company)) {
            throw new IllegalStateException("The request already works for another company");
        }
        this.company = company;
    }

    /** The company set for this request, if any. */
    public Optional<UUID> company() {
        return Optional.ofNullable(company);
    }
}
