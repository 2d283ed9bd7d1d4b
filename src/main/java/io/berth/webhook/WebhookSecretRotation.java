package io.berth.webhook;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.berth.crypto.SecretCipher;
import io.berth.persistence.Tenancy;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Key rotation for webhook secrets, as {@code connection/SecretRotation} does it for registry
 * secrets: secrets still encrypted under a retired key are re-encrypted under the active one, ten
 * seconds after startup and then every hour; only the ciphertext changes (no version), and a row
 * is rewritten only if nobody changed its secret meanwhile.
 */
@ApplicationScoped
public class WebhookSecretRotation {

    private final EntityManager em;
    private final SecretCipher cipher;
    private final Tenancy tenancy;

    public WebhookSecretRotation(EntityManager em, SecretCipher cipher, Tenancy tenancy) {
        this.em = em;
        this.cipher = cipher;
        this.tenancy = tenancy;
    }

    @Scheduled(every = "1h", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reencryptStale() {
        int rotated = tenancy.callAsSystem(this::reencrypt);
        if (rotated > 0) {
            Log.infof("Re-encrypted the secrets of %d webhooks under the active key", rotated);
        }
    }

    @Transactional
    int reencrypt() {
        @SuppressWarnings("unchecked")
        List<Object[]> stale = em.createNativeQuery("select id, company_id, secret_enc from webhooks where secret_enc not like ?1")
                .setParameter(1, cipher.activeKeyPrefix() + "%").getResultList();
        int rotated = 0;
        for (Object[] row : stale) {
            String context = Webhook.secretContext((UUID) row[1]);
            String old = (String) row[2];
            rotated += em.createNativeQuery("update webhooks set secret_enc = ?1 where id = ?2 and secret_enc = ?3")
                    .setParameter(1, cipher.encrypt(cipher.decrypt(old, context), context)).setParameter(2, row[0])
                    .setParameter(3, old).executeUpdate();
        }
        return rotated;
    }
}
