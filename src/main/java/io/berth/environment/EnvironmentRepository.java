package io.berth.environment;

import jakarta.enterprise.context.ApplicationScoped;

import io.berth.persistence.TenantScopedRepository;

/** The current company's environments. */
@ApplicationScoped
public class EnvironmentRepository extends TenantScopedRepository<Environment> {

    public EnvironmentRepository() {
        super(Environment.class);
    }
}
