package io.berth.update;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.berth.api.ApiException;
import io.berth.persistence.Tenancy;
import io.berth.security.Caller;
import io.berth.security.Role;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Runs check-updates for container images with {@code autoUpdate}, each at its registry
 * connection's {@code refreshIntervalMinutes} (berth.auto-update.default-interval-minutes without
 * a connection). It keeps bestTag, latestDigest and updateAvailable current; it does not change
 * what applications run. With several replicas an image may occasionally be checked twice; that
 * costs a registry request, nothing else. Which images are due is one native query across companies
 * (as the system, see {@link Tenancy}); each check then runs as its image's company.
 */
@ApplicationScoped
public class AutoUpdater {

    /** Who the history and modifiedBy show for checks made by the platform itself. */
    public static final String SUBJECT = Rollouts.SUBJECT;

    private final EntityManager em;
    private final Rollouts rollouts;
    private final AutoUpdateConfig config;
    private final Tenancy tenancy;
    private final UpdateMetrics metrics;

    public AutoUpdater(EntityManager em, Rollouts rollouts, AutoUpdateConfig config, Tenancy tenancy,
            UpdateMetrics metrics) {
        this.metrics = metrics;
        this.em = em;
        this.rollouts = rollouts;
        this.config = config;
        this.tenancy = tenancy;
    }

    @Scheduled(every = "${berth.auto-update.poll-interval:60s}", delayed = "${berth.auto-update.initial-delay:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (config.enabled()) {
            runDue();
        }
    }

    /** Checks the images that are due now and claimed by this replica; answers how many were checked. */
    public int runDue() {
        int checked = 0;
        metrics.lag(tenancy.callAsSystem(this::lagSeconds));
        for (Object[] row : tenancy.callAsSystem(this::claimDue)) {
            UUID id = (UUID) row[0];
            UUID company = (UUID) row[1];
            int intervalMinutes = ((Number) row[2]).intValue();
            int failures = ((Number) row[3]).intValue();
            Caller platform = new Caller(company, SUBJECT, Role.ADMIN, Set.of());
            boolean failed = false;
            try {
                tenancy.runAs(company, () -> rollouts.check(platform, id, false));
            } catch (ApiException e) {
                failed = true;
                Log.debugf("Auto-update check of container image %s: %s", id, e.getMessage()); // stored in lastCheckError
            } catch (RuntimeException e) {
                failed = true;
                Log.warnf("Auto-update check of container image %s failed: %s", id, e.getMessage());
            }
            int streak = failed ? failures + 1 : 0;
            tenancy.callAsSystem(() -> release(id, nextCheckIn(intervalMinutes, streak), streak));
            checked++;
        }
        return checked;
    }

    /**
     * Seconds until the next check: the interval, jittered by ±10 % so images created together
     * spread out; after {@code failures} failed checks in a row, the interval × 2^(failures−1),
     * capped at × 8, so a deleted repository does not hammer its registry.
     */
    static long nextCheckIn(int intervalMinutes, int failures) {
        long factor = failures == 0 ? 1 : Math.min(8, 1L << Math.min(failures - 1, 3));
        double jitter = 0.9 + ThreadLocalRandom.current().nextDouble() * 0.2;
        return Math.round(intervalMinutes * 60L * factor * jitter);
    }

    /**
     * Claims up to batch-size due images for this replica, across companies (hence native SQL as the
     * system: entity queries see one company). {@code FOR UPDATE SKIP LOCKED} lets replicas claim
     * disjoint sets at once; the lease keeps an image claimed after the commit, and frees it if this
     * replica dies mid-check. An image is due at nextCheckAt; before its first scheduled check, one
     * interval after lastCheckedAt. Rows: id, company, interval in minutes, failures in a row.
     */
    @SuppressWarnings("unchecked")
    @Transactional
    List<Object[]> claimDue() {
        return em.createNativeQuery("update container_images i set lease_until = now() + make_interval(secs => ?3)"
                + " from (select c.id, coalesce(r.refresh_interval_minutes, ?1) as interval_minutes"
                + "   from container_images c left join registry_connections r on r.id = c.registry_connection_id"
                + "   where c.auto_update and (c.lease_until is null or c.lease_until < now())"
                + "   and (c.next_check_at <= now() or (c.next_check_at is null and (c.last_checked_at is null"
                + "     or c.last_checked_at < now() - make_interval(mins => coalesce(r.refresh_interval_minutes, ?1)))))"
                + "   order by coalesce(c.next_check_at, c.last_checked_at) nulls first limit ?2"
                + "   for update of c skip locked) due"
                + " where i.id = due.id"
                + " returning i.id, i.company_id, due.interval_minutes, i.consecutive_failures")
                .setParameter(1, config.defaultIntervalMinutes()).setParameter(2, config.batchSize())
                .setParameter(3, (double) config.lease().toSeconds())
                .getResultList();
    }

    /** How many seconds the most overdue unclaimed check is overdue (0 when none is). */
    @Transactional(Transactional.TxType.SUPPORTS)
    long lagSeconds() {
        Object lag = em.createNativeQuery("select coalesce(extract(epoch from now() - min(next_check_at)), 0)"
                + " from container_images where auto_update and next_check_at < now()"
                + " and (lease_until is null or lease_until < now())").getSingleResult();
        return ((Number) lag).longValue();
    }

    /** Ends this replica's claim and schedules the next check. */
    @Transactional
    Integer release(UUID id, long nextCheckInSeconds, int failures) {
        return em.createNativeQuery("update container_images set lease_until = null, consecutive_failures = ?2,"
                + " next_check_at = now() + make_interval(secs => ?3) where id = ?1")
                .setParameter(1, id).setParameter(2, failures).setParameter(3, (double) nextCheckInSeconds)
                .executeUpdate();
    }
}
