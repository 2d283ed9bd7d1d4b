package io.berth.connection;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.berth.crypto.SecretCipher;
import io.berth.persistence.Tenancy;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Key rotation: registry secrets still encrypted under a retired key are re-encrypted under the
 * active one, ten seconds after startup and then every hour. Not on the startup path, so a cold
 * start (scale-to-zero) serves its first request without scanning the table; and repeated, so
 * secrets written by replicas that still ran the old active key during a rolling update move too.
 * Once it has run after every replica has the new key, the retired key can be removed. A system
 * task: it lists the companies with stale secrets by native SQL (the only query that crosses
 * companies), then rotates each company's rows in that company's own transaction ({@code for
 * update}: replicas never rotate one row twice at once); it changes ciphertexts only, not versions.
 */
@ApplicationScoped
public class SecretRotation {

    private static final String STALE = "(%1$s is not null and %1$s not like ?1) or (%2$s is not null and %2$s not like ?1)"
            + " or (%3$s is not null and %3$s not like ?1)";

    private final EntityManager em;
    private final RegistryConnectionRepository connections;
    private final SecretCipher cipher;
    private final Tenancy tenancy;

    public SecretRotation(EntityManager em, RegistryConnectionRepository connections, SecretCipher cipher, Tenancy tenancy) {
        this.em = em;
        this.connections = connections;
        this.cipher = cipher;
        this.tenancy = tenancy;
    }

    /** Re-encrypts every stale secret (a scheduled method returns nothing). */
    @Scheduled(every = "1h", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reencryptStale() {
        int rotated = 0;
        for (UUID company : tenancy.callAsSystem(this::companiesWithStaleSecrets)) {
            rotated += tenancy.callAs(company, () -> QuarkusTransaction.requiringNew().call(() -> reencrypt(company)));
        }
        if (rotated > 0) {
            Log.infof("Re-encrypted the secrets of %d registry connections under the active key", rotated);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    @SuppressWarnings("unchecked")
    List<UUID> companiesWithStaleSecrets() {
        return em.createNativeQuery("select distinct company_id from registry_connections where "
                + STALE.formatted("password_enc", "token_enc", "webhook_secret_enc")).setParameter(1, activePattern()).getResultList();
    }

    /** One company's stale rows, locked; a bulk update, so neither version nor updatedAt moves. */
    private int reencrypt(UUID company) {
        List<RegistryConnection> stale = connections.find(STALE.formatted("passwordEncrypted", "tokenEncrypted", "webhookSecretEncrypted"),
                activePattern()).withLock(LockModeType.PESSIMISTIC_WRITE).list();
        for (RegistryConnection c : stale) {
            connections.update("passwordEncrypted = ?1, tokenEncrypted = ?2, webhookSecretEncrypted = ?3 where id = ?4",
                    reencrypt(c.passwordEncrypted, company, "password"), reencrypt(c.tokenEncrypted, company, "token"),
                    reencrypt(c.webhookSecretEncrypted, company, WebhookSecrets.FIELD), c.id);
        }
        return stale.size();
    }

    private String activePattern() {
        return cipher.activeKeyPrefix() + "%";
    }

    private String reencrypt(String ciphertext, UUID company, String field) {
        if (ciphertext == null || !cipher.isStale(ciphertext)) {
            return ciphertext;
        }
        String context = RegistryConnection.secretContext(company, field);
        return cipher.encrypt(cipher.decrypt(ciphertext, context), context);
    }
}
