package io.berth.idempotency;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Idempotency keys in PostgreSQL, so every replica sees them. The primary key on (caller, key)
 * decides races: of two concurrent first uses exactly one insert succeeds. Each call runs in its
 * own transaction, independent of the request's.
 */
@ApplicationScoped
public class IdempotencyStore {

    public enum Outcome { CLAIMED, IN_PROGRESS, MISMATCH, COMPLETED }

    public record Stored(int status, String body, String location, String etag) {
    }

    public record Claim(Outcome outcome, Stored stored) {
    }

    private final EntityManager em;
    private final IdempotencyConfig config;

    public IdempotencyStore(EntityManager em, IdempotencyConfig config) {
        this.em = em;
        this.config = config;
    }

    /**
     * Claims {@code key} for {@code caller} (a subject or token id) with the request's {@code fingerprint}
     * (SHA-256 of method, path and body): CLAIMED when this request may run, IN_PROGRESS while another
     * holds it (unlocked after berth.idempotency.abandoned-after), MISMATCH for another request under the
     * same key, COMPLETED with the stored answer to replay. Expired keys are forgotten first.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Claim claim(String caller, String key, String fingerprint) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        // A new key, by far the usual case, is one statement: the insert. Only a key in use is looked at.
        if (insert(caller, key, fingerprint, now)) {
            return new Claim(Outcome.CLAIMED, null);
        }
        int forgotten = em.createNativeQuery("delete from idempotency_keys where caller_key = ?1 and idempotency_key = ?2"
                + " and (expires_at < ?3 or (state = 'IN_PROGRESS' and created_at < ?4))")
                .setParameter(1, caller).setParameter(2, key).setParameter(3, now)
                .setParameter(4, now.minus(config.abandonedAfter()))
                .executeUpdate();
        if (forgotten == 1 && insert(caller, key, fingerprint, now)) { // expired or abandoned: free again
            return new Claim(Outcome.CLAIMED, null);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select fingerprint, state, response_status, response_body,"
                + " response_location, response_etag from idempotency_keys where caller_key = ?1 and idempotency_key = ?2")
                .setParameter(1, caller).setParameter(2, key).getResultList();
        if (rows.isEmpty()) { // released between our insert and select: the key is free again
            return claim(caller, key, fingerprint);
        }
        Object[] row = rows.get(0);
        if (!fingerprint.equals(row[0])) {
            return new Claim(Outcome.MISMATCH, null);
        }
        if ("IN_PROGRESS".equals(row[1])) {
            return new Claim(Outcome.IN_PROGRESS, null);
        }
        return new Claim(Outcome.COMPLETED,
                new Stored(((Number) row[2]).intValue(), (String) row[3], (String) row[4], (String) row[5]));
    }

    /** Inserts the key IN_PROGRESS unless (caller, key) exists; whether it did. */
    private boolean insert(String caller, String key, String fingerprint, OffsetDateTime now) {
        return em.createNativeQuery("insert into idempotency_keys"
                + " (caller_key, idempotency_key, fingerprint, state, created_at, expires_at)"
                + " values (?1, ?2, ?3, 'IN_PROGRESS', ?4, ?5) on conflict do nothing")
                .setParameter(1, caller).setParameter(2, key).setParameter(3, fingerprint)
                .setParameter(4, now).setParameter(5, now.plus(config.ttl()))
                .executeUpdate() == 1;
    }

    /** Stores the answer of a CLAIMED key, replayed to every later request with it until it expires. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void complete(String caller, String key, Stored response) {
        em.createNativeQuery("update idempotency_keys set state = 'DONE', response_status = ?3, response_body = ?4,"
                + " response_location = ?5, response_etag = ?6 where caller_key = ?1 and idempotency_key = ?2")
                .setParameter(1, caller).setParameter(2, key).setParameter(3, response.status())
                .setParameter(4, response.body()).setParameter(5, response.location()).setParameter(6, response.etag())
                .executeUpdate();
    }

    /** Frees a key whose request failed, so the client may retry with it. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void release(String caller, String key) {
        em.createNativeQuery("delete from idempotency_keys where caller_key = ?1 and idempotency_key = ?2"
                + " and state = 'IN_PROGRESS'")
                .setParameter(1, caller).setParameter(2, key).executeUpdate();
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purgeExpired() {
        int purged = em.createNativeQuery("delete from idempotency_keys where expires_at < ?1")
                .setParameter(1, OffsetDateTime.now(ZoneOffset.UTC)).executeUpdate();
        if (purged > 0) {
            Log.debugf("Purged %d expired idempotency keys", purged);
        }
    }
}
