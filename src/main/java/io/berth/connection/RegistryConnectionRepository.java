package io.berth.connection;

import jakarta.enterprise.context.ApplicationScoped;

import io.berth.persistence.TenantScopedRepository;

/** The current company's registry connections. */
@ApplicationScoped
public class RegistryConnectionRepository extends TenantScopedRepository<RegistryConnection> {

    public RegistryConnectionRepository() {
        super(RegistryConnection.class);
    }
}
