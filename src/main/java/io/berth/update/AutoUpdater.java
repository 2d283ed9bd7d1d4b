package io.berth.update;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.berth.api.ApiException;
import io.berth.background.BackgroundThreads;
import io.berth.background.Nudge;
import io.berth.api.RequestIds;
import io.berth.persistence.Tenancy;
import io.berth.registry.ImageReference;
import io.berth.registry.RegistryHost;
import io.berth.security.Caller;
import io.berth.security.Role;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.MDC;

/**
 * The scheduler of auto-update: checks container images with {@code autoUpdate} at their registry
 * connection's {@code refreshIntervalMinutes} (berth.auto-update.default-interval-minutes without a
 * connection), each check rolling applications forward as {@link Rollouts} says.
 *
 * <p>Every replica runs a round each {@code poll-interval}: it claims due images in batches through
 * PostgreSQL ({@code FOR UPDATE SKIP LOCKED} plus a lease, so replicas claim disjoint images and a
 * replica that dies mid-check frees its images when the lease ends) until none is due. A batch is
 * checked in parallel across registry hosts, at most {@code per-host-concurrency} checks per host at
 * once. A host that rate-limited Berth (429 with Retry-After) or whose Docker Hub
 * {@code ratelimit-remaining} fell below the reserve is not asked: its images are deferred until its
 * budget returns ({@link RegistryBudget}), and are not counted as failed. Which images are due is
 * native SQL across companies (as the system, see {@link Tenancy}); each check runs as its image's
 * company.
 */
@ApplicationScoped
public class AutoUpdater {

    /** Who the history and modifiedBy show for checks made by the platform itself. */
    public static final String SUBJECT = Rollouts.SUBJECT;

    /** One claimed image: what the claim query answers. */
    record Claim(UUID id, UUID company, int intervalMinutes, int failures, String host, Object lease,
            long claimedAtNanos, Object claimedAt) {
    }

    private final EntityManager em;
    private final Rollouts rollouts;
    private final AutoUpdateConfig config;
    private final Tenancy tenancy;
    private final UpdateMetrics metrics;
    private final RegistryBudget budget;
    private final ExecutorService workers;
    /** Runs the rounds {@link #nudge} asks for, one at a time, beside the scheduled ones. */
    private final Nudge nudges;

    public AutoUpdater(EntityManager em, Rollouts rollouts, AutoUpdateConfig config, Tenancy tenancy,
            UpdateMetrics metrics, RegistryBudget budget) {
        this.em = em;
        this.rollouts = rollouts;
        this.config = config;
        this.tenancy = tenancy;
        this.metrics = metrics;
        this.budget = budget;
        this.workers = BackgroundThreads.pool("berth-auto-update", config.maxConcurrentChecks());
        this.nudges = new Nudge("berth-auto-update-nudged", this::tick);
    }

    @PreDestroy
    void stop() {
        nudges.close();
        workers.shutdownNow();
    }

    /**
     * Asks for a round now, because images were just made due (a registry notification,
     * {@code io.berth.hook}), instead of waiting up to {@code poll-interval}. Returns at once; nudges
     * while a nudged round is waiting fold into it, one arriving while it runs queues one more
     * round. Nothing happens with auto-update disabled. Rounds of several replicas or of the
     * scheduler at the same time are safe: claims are disjoint.
     */
    public void nudge() {
        if (config.enabled()) {
            nudges.request();
        }
    }

    @Scheduled(every = "${berth.auto-update.poll-interval:60s}", delayed = "${berth.auto-update.initial-delay:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!config.enabled()) {
            return;
        }
        try {
            runDue();
        } catch (RuntimeException e) { // e.g. a database outage: claims left open expire with their lease
            Log.warnf("Auto-update round failed: %s", e.getMessage());
        }
    }

    /**
     * One round: claims and checks due images, batch after batch, until none is due for this
     * replica; answers how many checks ran (deferred images not counted).
     */
    public int runDue() {
        int checked = 0;
        // the round's id stands in for a request id in the log lines of its checks and rollouts
        String round = RequestIds.generate();
        List<Claim> batch;
        do {
            metrics.lag(tenancy.callAsSystem(this::lagSeconds));
            batch = tenancy.callAsSystem(this::claimDue);
            checked += checkAll(batch, round);
        } while (batch.size() >= config.batchSize());
        return checked;
    }

    /** Checks a batch: hosts in parallel, at most per-host-concurrency checks of one host at once. */
    private int checkAll(List<Claim> batch, String round) {
        Map<String, Queue<Claim>> byHost = new LinkedHashMap<>();
        for (Claim claim : batch) {
            byHost.computeIfAbsent(claim.host(), h -> new ArrayDeque<>()).add(claim);
        }
        AtomicInteger checked = new AtomicInteger();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (Map.Entry<String, Queue<Claim>> host : byHost.entrySet()) {
            Queue<Claim> queue = host.getValue();
            int lanes = Math.min(config.perHostConcurrency(), queue.size());
            for (int i = 0; i < lanes; i++) {
                running.add(CompletableFuture.runAsync(() -> {
                    MDC.put(RequestIds.MDC_KEY, round);
                    try {
                        Claim claim;
                        while ((claim = poll(queue)) != null) {
                            if (checkOne(claim)) {
                                checked.incrementAndGet();
                            }
                        }
                    } finally {
                        MDC.remove(RequestIds.MDC_KEY);
                    }
                }, workers));
            }
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        return checked.get();
    }

    private static Claim poll(Queue<Claim> queue) {
        synchronized (queue) {
            return queue.poll();
        }
    }

    /** Checks one claimed image and schedules its next check; false when it was deferred instead. */
    private boolean checkOne(Claim claim) {
        Instant deferredUntil = budget.deferredUntil(claim.host());
        if (deferredUntil != null) {
            defer(claim, deferredUntil);
            return false;
        }
        if (System.nanoTime() - claim.claimedAtNanos() > config.lease().toNanos() * 4 / 5) {
            // the lease is nearly over: another replica may take the image now, so leave it to that one
            tenancy.callAsSystem(() -> release(claim, null, claim.failures()));
            return false;
        }
        Caller platform = new Caller(claim.company(), SUBJECT, Role.ADMIN, Set.of());
        boolean failed = false;
        try {
            tenancy.runAs(claim.company(), () -> rollouts.checkScheduled(platform, claim.id()));
        } catch (Rollouts.RateLimited e) {
            defer(claim, budget.rateLimited(claim.host(), e.retryAfterSeconds()));
            return false;
        } catch (ApiException e) {
            failed = true;
            Log.debugf("Auto-update check of container image %s: %s", claim.id(), e.getMessage()); // in lastCheckError
        } catch (RuntimeException e) {
            failed = true;
            Log.warnf("Auto-update check of container image %s failed: %s", claim.id(), e.getMessage());
        }
        int streak = failed ? claim.failures() + 1 : 0;
        long next = nextCheckIn(claim.intervalMinutes(), streak);
        tenancy.callAsSystem(() -> release(claim, next, streak));
        return true;
    }

    /** Releases a claim to be checked when the host's budget returns, spread over a tenth of the wait. */
    private void defer(Claim claim, Instant until) {
        long wait = Math.max(1, until.getEpochSecond() - Instant.now().getEpochSecond());
        long next = wait + ThreadLocalRandom.current().nextLong(wait / 10 + 1);
        metrics.deferred();
        Log.debugf("Auto-update of container image %s deferred %d s: %s is out of budget", claim.id(), next, claim.host());
        tenancy.callAsSystem(() -> release(claim, next, claim.failures()));
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
     * interval after lastCheckedAt.
     */
    @Transactional
    List<Claim> claimDue() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("update container_images i set lease_until = now() + make_interval(secs => ?3)"
                + " from (select c.id, coalesce(r.refresh_interval_minutes, ?1) as interval_minutes"
                + "   from container_images c left join registry_connections r on r.id = c.registry_connection_id"
                + "   where c.auto_update and (c.lease_until is null or c.lease_until < now())"
                + "   and (c.next_check_at <= now() or (c.next_check_at is null and (c.last_checked_at is null"
                + "     or c.last_checked_at < now() - make_interval(mins => coalesce(r.refresh_interval_minutes, ?1)))))"
                // images a registry notification made due first: someone just pushed and waits for them
                + "   order by c.hinted_at is null, coalesce(c.next_check_at, c.last_checked_at) nulls first limit ?2"
                + "   for update of c skip locked) due"
                + " where i.id = due.id"
                + " returning i.id, i.company_id, due.interval_minutes, i.consecutive_failures, i.image_ref, i.lease_until,"
                + " now()")
                .setParameter(1, config.defaultIntervalMinutes()).setParameter(2, config.batchSize())
                .setParameter(3, (double) config.lease().toSeconds())
                .getResultList();
        long now = System.nanoTime();
        return rows.stream().map(row -> new Claim((UUID) row[0], (UUID) row[1], ((Number) row[2]).intValue(),
                ((Number) row[3]).intValue(), host((String) row[4]), row[5], now, row[6])).toList();
    }

    /** The registry API host[:port] an image's checks go to, the key of concurrency and budget. */
    private static String host(String imageRef) {
        try {
            return RegistryHost.of(ImageReference.parseName(imageRef)).apiHost();
        } catch (RuntimeException e) {
            return ""; // unparseable names fail their check, which says why
        }
    }

    /** How many seconds the most overdue unclaimed check is overdue (0 when none is). */
    @Transactional(Transactional.TxType.SUPPORTS)
    long lagSeconds() {
        Object lag = em.createNativeQuery("select coalesce(extract(epoch from now() - min(next_check_at)), 0)"
                + " from container_images where auto_update and next_check_at < now()"
                + " and (lease_until is null or lease_until < now())").getSingleResult();
        return ((Number) lag).longValue();
    }

    /**
     * Ends this replica's claim and schedules the next check (null: leaves nextCheckAt as it is).
     * Only while the claim is still this replica's: after its lease ran out another replica may
     * hold the image, and its claim and schedule stand. A registry notification that made the
     * image due after it was claimed ({@code hinted_at}) keeps it due now: the check that just ran
     * may have read the registry before that push.
     */
    @Transactional
    Integer release(Claim claim, Long nextCheckInSeconds, int failures) {
        return em.createNativeQuery("update container_images set lease_until = null, consecutive_failures = ?2,"
                + " next_check_at = case when hinted_at > ?5 then now() when ?3 < 0 then next_check_at"
                + "   else now() + make_interval(secs => ?3) end,"
                + " hinted_at = case when hinted_at > ?5 then hinted_at end"
                + " where id = ?1 and lease_until = ?4")
                .setParameter(1, claim.id()).setParameter(2, failures).setParameter(4, claim.lease())
                .setParameter(5, claim.claimedAt())
                .setParameter(3, nextCheckInSeconds == null ? -1.0 : (double) nextCheckInSeconds)
                .executeUpdate();
    }
}
