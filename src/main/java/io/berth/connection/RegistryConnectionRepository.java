package io.berth.connection;

import jakarta.enterprise.context.ApplicationScoped;

import io.berth.persistence.TenantScopedRepository;

@ApplicationScoped
public class RegistryConnectionRepository extends TenantScopedRepository<RegistryConnection> {

    public RegistryConnectionRepository() {
        super(RegistryConnection.class);
    }
}
