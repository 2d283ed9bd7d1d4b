package io.berth.connection;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.berth.crypto.SecretCipher;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Key rotation: registry secrets still encrypted under a retired key are re-encrypted under the
 * active one, ten seconds after startup and then every hour. Not on the startup path, so a cold
 * start (scale-to-zero) serves its first request without scanning the table; and repeated, so
 * secrets written by replicas that still ran the old active key during a rolling update move too.
 * Once it has run after every replica has the new key, the retired key can be removed. A system
 * task, so it reads all companies' rows ({@code for update}: replicas never rotate one row twice at
 * once); it changes ciphertexts only, not versions.
 */
@ApplicationScoped
public class SecretRotation {

    private final EntityManager em;
    private final SecretCipher cipher;

    public SecretRotation(EntityManager em, SecretCipher cipher) {
        this.em = em;
        this.cipher = cipher;
    }

    /** Re-encrypts every stale secret (a scheduled method returns nothing). */
    @Scheduled(every = "1h", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void reencryptStale() {
        String active = cipher.activeKeyPrefix() + "%";
        @SuppressWarnings("unchecked")
        List<Object[]> stale = em.createNativeQuery("select id, company_id, password_enc, token_enc from registry_connections"
                + " where (password_enc is not null and password_enc not like ?1)"
                + " or (token_enc is not null and token_enc not like ?1) for update")
                .setParameter(1, active).getResultList();
        for (Object[] row : stale) {
            UUID company = (UUID) row[1];
            em.createNativeQuery("update registry_connections set password_enc = ?2, token_enc = ?3 where id = ?1")
                    .setParameter(1, row[0])
                    .setParameter(2, reencrypt((String) row[2], company, "password"))
                    .setParameter(3, reencrypt((String) row[3], company, "token"))
                    .executeUpdate();
        }
        if (!stale.isEmpty()) {
            Log.infof("Re-encrypted the secrets of %d registry connections under the active key", stale.size());
        }
    }

    private String reencrypt(String ciphertext, UUID company, String field) {
        if (ciphertext == null || !cipher.isStale(ciphertext)) {
            return ciphertext;
        }
        String context = RegistryConnection.secretContext(company, field);
        return cipher.encrypt(cipher.decrypt(ciphertext, context), context);
    }
}
