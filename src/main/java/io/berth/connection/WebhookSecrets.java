package io.berth.connection;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.berth.api.ApiException;
import io.berth.crypto.SecretCipher;
import io.berth.persistence.Tenancy;
import io.berth.security.Caller;

/**
 * The webhook secret of a registry connection: what a registry's notifications to
 * {@code POST /api/hooks/registries/{id}} must carry (as a bearer token, a URL token or the key of
 * an HMAC over the body, depending on the registry). Berth makes it (32 random bytes), stores it
 * encrypted like the connection's password and token (field {@value #FIELD}, rotated under new
 * keys by {@link SecretRotation}) and shows it once, in the answer of {@link #rotate}.
 */
@ApplicationScoped
public class WebhookSecrets {

    /** The secret's field in its encryption context. */
    static final String FIELD = "webhook-secret";
    /** Marks a Berth registry-webhook secret, so a leaked one is recognizable (e.g. by secret scanners). */
    public static final String PREFIX = "bhk_";

    // an instance field, not static: a static one would be seeded at native-image build time
    private final SecureRandom random = new SecureRandom();

    private final RegistryConnectionService connections;
    private final RegistryConnectionRepository repository;
    private final SecretCipher cipher;
    private final Tenancy tenancy;
    private final EntityManager em;

    public WebhookSecrets(RegistryConnectionService connections, RegistryConnectionRepository repository,
            SecretCipher cipher, Tenancy tenancy, EntityManager em) {
        this.connections = connections;
        this.repository = repository;
        this.cipher = cipher;
        this.tenancy = tenancy;
        this.em = em;
    }

    /**
     * What a notification for a connection is checked against: the connection's company (the
     * tenant its work then runs as) and its decrypted webhook secret (null when none was made).
     */
    public record HookTarget(UUID connectionId, UUID company, String registryUrl, String secret) {
        @Override
        public String toString() {
            return "HookTarget[" + connectionId + ", " + registryUrl + "]"; // never the secret
        }
    }

    /**
     * Makes a new webhook secret for the caller's connection {@code id}, replacing the previous one
     * at once (notifications with the old one are refused from the commit on), and answers it: the
     * only time it is readable. The connection's version grows by one.
     *
     * @return {@value #PREFIX} + base64url (no padding) of 32 random bytes: URL-safe, so it also
     *         fits the {@code ?token=} of registries that cannot send headers
     * @throws ApiException 404 for an unknown connection or another company's
     */
    @Transactional
    public String rotate(Caller caller, UUID id) {
        RegistryConnection c = connections.get(caller, id);
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        c.webhookSecretEncrypted = cipher.encrypt(secret, RegistryConnection.secretContext(caller.companyId(), FIELD));
        c.touchBy(caller.subject());
        repository.flush();
        return secret;
    }

    /**
     * The connection {@code id} of whichever company, for an unauthenticated notification: the
     * one lookup by id across companies (native SQL as the system, see {@link Tenancy}); the
     * caller then works as {@link HookTarget#company()}. Empty for an unknown id.
     * Must not be called inside a transaction.
     */
    public Optional<HookTarget> forHook(UUID id) {
        return tenancy.callAsSystem(() -> lookup(id));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    Optional<HookTarget> lookup(UUID id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                "select company_id, registry_url, webhook_secret_enc from registry_connections where id = ?1")
                .setParameter(1, id).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = rows.get(0);
        UUID company = (UUID) row[0];
        String encrypted = (String) row[2];
        String secret = encrypted == null ? null
                : cipher.decrypt(encrypted, RegistryConnection.secretContext(company, FIELD));
        return Optional.of(new HookTarget(id, company, (String) row[1], secret));
    }
}
