package io.berth.connection;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;

import io.berth.persistence.TenantOwnedEntity;

/** Credentials and address of one container registry. Secrets are stored only encrypted. */
// Only the columns a change touched are written (issue 15): a PATCH of one field is an UPDATE of that
// field, version and updated_at, not of every column.
@DynamicUpdate
@Entity
@Table(name = "registry_connections")
public class RegistryConnection extends TenantOwnedEntity {

    @Column(nullable = false, length = 100)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public RegistryType type;

    /** Normalized host[:port]; {@code docker.io} is Docker Hub. */
    @Column(name = "registry_url", nullable = false, length = 255)
    public String registryUrl;

    @Column(length = 255)
    public String username;

    @Column(name = "password_enc", length = 4096)
    public String passwordEncrypted;

    @Column(name = "token_enc", length = 8192)
    public String tokenEncrypted;

    /**
     * The secret the registry's notifications carry ({@code POST /api/hooks/registries/{id}}), encrypted;
     * set only by {@link WebhookSecrets#rotate}.
     */
    @Column(name = "webhook_secret_enc", length = 1024)
    public String webhookSecretEncrypted;

    /** Plain HTTP allowed (and HTTP token realms); for registries without TLS on trusted networks. */
    @Column(nullable = false)
    public boolean insecure;

    @Column(name = "refresh_interval_minutes", nullable = false)
    public int refreshIntervalMinutes;

    /** Binds a secret's ciphertext to its company and field, so it cannot be replayed elsewhere. */
    static String secretContext(java.util.UUID company, String field) {
        return company + ":registry-connection:" + field;
    }

    @Override
    public String toString() {
        return "RegistryConnection[" + id + ", " + name + ", " + registryUrl + "]"; // never the secrets
    }
}
