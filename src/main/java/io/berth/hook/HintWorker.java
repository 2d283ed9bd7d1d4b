package io.berth.hook;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.berth.api.ApiException;
import io.berth.background.Nudge;
import io.berth.connection.RegistryAccess;
import io.berth.image.TagFilter;
import io.berth.persistence.Tenancy;
import io.berth.registry.ImageReference;
import io.berth.registry.RegistryClient;
import io.berth.registry.RegistryException;
import io.berth.security.Caller;
import io.berth.security.Role;
import io.berth.update.AutoUpdater;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Turns recorded hints into checks. Each replica claims due hints through PostgreSQL
 * ({@code FOR UPDATE SKIP LOCKED} plus a lease, like {@link AutoUpdater}), when nudged by a
 * notification it received and every {@code berth.hooks.poll-interval} (hints of a replica that
 * died after its 202, retries). For each hint, as the connection's company:
 * <ol>
 * <li>the auto-updated container images of the connection whose repository is the hint's and
 * whose tag filter matches the tag; none → done, without asking the registry;</li>
 * <li>a HEAD of repository:tag at the registry with the connection's credentials: the registry,
 * not the notification, says whether the tag exists and which digest it has;</li>
 * <li>deduplication, in one transaction with the rest: the same digest recorded for that tag
 * before ({@code registry_hook_digests}), or already the image's best tag and digest → nothing;</li>
 * <li>else the images are made due now ({@code next_check_at}, {@code hinted_at}), the hint is
 * deleted, and the auto-updater is nudged: its check then rolls applications out by the
 * auto-update rules. A due image survives a restart like any scheduled check.</li>
 * </ol>
 * A registry that cannot be asked leaves the hint for a later attempt (10 s, 20 s, 40 s, ... up
 * to {@code berth.hooks.max-attempts}); the image's own schedule still checks it in any case.
 */
@ApplicationScoped
public class HintWorker {

    /** Who acts for registry notifications (the credentials' company context). */
    static final String SUBJECT = "system:registry-hook";
    private static final int BATCH = 50;

    /** One claimed hint. */
    record Hint(long id, UUID company, UUID connection, String repository, String tag, int attempts, Object lease) {
    }

    /** An image the hint may concern. */
    record Candidate(UUID id, String tagFilter, String bestTag, String latestDigest, String registryUrl) {
    }

    private final EntityManager em;
    private final Tenancy tenancy;
    private final RegistryAccess access;
    private final RegistryClient registry;
    private final AutoUpdater updater;
    private final HookConfig config;
    private final HookMetrics metrics;
    private final Nudge nudges;

    public HintWorker(EntityManager em, Tenancy tenancy, RegistryAccess access, RegistryClient registry, AutoUpdater updater,
            HookConfig config, HookMetrics metrics) {
        this.em = em;
        this.tenancy = tenancy;
        this.access = access;
        this.registry = registry;
        this.updater = updater;
        this.config = config;
        this.metrics = metrics;
        this.nudges = new Nudge("berth-registry-hints", this::tick);
    }

    @PreDestroy
    void stop() {
        nudges.close();
    }

    /** Asks for a round now (a notification was just recorded); returns at once, folds repeated nudges. */
    public void nudge() {
        nudges.request();
    }

    @Scheduled(every = "${berth.hooks.poll-interval:10s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            runDue();
        } catch (RuntimeException e) { // e.g. a database outage: claimed hints come back when their lease ends
            Log.warnf("Registry hints round failed: %s", e.getMessage());
        }
    }

    /** Claims and handles due hints until none is left; answers how many images were made due. */
    public int runDue() {
        int due = 0;
        List<Hint> batch;
        do {
            batch = tenancy.callAsSystem(this::claim);
            for (Hint hint : batch) {
                due += handle(hint);
            }
        } while (batch.size() >= BATCH);
        if (due > 0) {
            updater.nudge();
        }
        return due;
    }

    /** Handles one hint; answers how many images it made due. */
    private int handle(Hint hint) {
        List<Candidate> images = tenancy.callAsSystem(() -> candidates(hint)).stream()
                .filter(c -> filterMatches(c.tagFilter(), hint.tag())).toList();
        if (images.isEmpty()) {
            return finish(hint, "no_match");
        }
        ImageReference ref;
        try {
            ref = ImageReference.inRegistry(images.get(0).registryUrl(), hint.repository()).withTag(hint.tag());
        } catch (ImageReference.InvalidReferenceException e) {
            return finish(hint, "unconfirmed");
        }
        String digest;
        try {
            Caller platform = new Caller(hint.company(), SUBJECT, Role.ADMIN, Set.of());
            digest = tenancy.callAs(hint.company(), () -> registry.head(ref,
                    access.authFor(platform, hint.connection(), ref, "registryConnectionId")).digest());
        } catch (RegistryException e) {
            if (e.kind() == RegistryException.Kind.NOT_FOUND) {
                return finish(hint, "unconfirmed");
            }
            return retry(hint, e);
        } catch (ApiException e) { // the connection changed meanwhile (another registry, deleted)
            Log.debugf("Registry hint %d: %s", hint.id(), e.getMessage());
            return finish(hint, "unconfirmed");
        }
        List<UUID> fresh = images.stream()
                .filter(c -> !(hint.tag().equals(c.bestTag()) && digest.equals(c.latestDigest())))
                .map(Candidate::id).toList();
        int made = tenancy.callAsSystem(() -> confirm(hint, digest, fresh));
        metrics.hint(made > 0 ? "checked" : "duplicate");
        if (made > 0) {
            Log.infof("Registry notification confirmed: %s is %s; %d container image(s) to check now", ref, digest, made);
        }
        return made;
    }

    private static boolean filterMatches(String filter, String tag) {
        try {
            return TagFilter.parse(filter).matches(tag);
        } catch (RuntimeException e) {
            return true; // a filter that no longer parses: let the check say so
        }
    }

    private int finish(Hint hint, String outcome) {
        tenancy.callAsSystem(() -> delete(hint));
        metrics.hint(outcome);
        return 0;
    }

    private int retry(Hint hint, RegistryException e) {
        if (hint.attempts() >= config.maxAttempts()) {
            Log.warnf("Registry hint for %s:%s given up after %d attempts: %s", hint.repository(), hint.tag(),
                    hint.attempts(), e.getMessage());
            return finish(hint, "failed");
        }
        long wait = e.kind() == RegistryException.Kind.RATE_LIMITED && e.retryAfterSeconds() > 0 ? e.retryAfterSeconds()
                : 10L << Math.min(hint.attempts() - 1, 10);
        tenancy.callAsSystem(() -> release(hint, wait));
        metrics.hint("retried");
        return 0;
    }

    /**
     * Claims up to {@value #BATCH} due hints across companies (native SQL as the system); the lease
     * frees them if this replica dies. Attempts count claims.
     */
    @Transactional
    List<Hint> claim() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("update registry_hook_hints h set lease_until = now() + make_interval(secs => ?1),"
                + " attempts = h.attempts + 1"
                + " from (select id from registry_hook_hints where next_attempt_at <= now()"
                + "   and (lease_until is null or lease_until < now()) order by id limit ?2 for update skip locked) due"
                + " where h.id = due.id"
                + " returning h.id, h.company_id, h.connection_id, h.repository, h.tag, h.attempts, h.lease_until")
                .setParameter(1, (double) config.lease().toSeconds()).setParameter(2, BATCH).getResultList();
        List<Hint> hints = new ArrayList<>();
        for (Object[] row : rows) {
            hints.add(new Hint(((Number) row[0]).longValue(), (UUID) row[1], (UUID) row[2], (String) row[3], (String) row[4],
                    ((Number) row[5]).intValue(), row[6]));
        }
        return hints;
    }

    /** The auto-updated images of the hint's connection that track its repository. */
    @Transactional(Transactional.TxType.SUPPORTS)
    List<Candidate> candidates(Hint hint) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select i.id, i.tag_filter, i.best_tag, i.latest_digest, r.registry_url"
                + " from container_images i join registry_connections r on r.id = i.registry_connection_id"
                + " where i.registry_connection_id = ?1 and i.company_id = ?2 and i.auto_update"
                + " and i.image_ref = r.registry_url || '/' || ?3")
                .setParameter(1, hint.connection()).setParameter(2, hint.company()).setParameter(3, hint.repository())
                .getResultList();
        return rows.stream().map(r -> new Candidate((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4]))
                .toList();
    }

    /**
     * Deduplicates and acts, in one transaction: records the tag's digest (unless it is the one
     * recorded already), makes the images due now, and deletes the hint. Answers how many images
     * were made due (0: a duplicate).
     */
    @Transactional
    int confirm(Hint hint, String digest, List<UUID> images) {
        int changed = em.createNativeQuery("insert into registry_hook_digests (connection_id, repository, tag, digest, seen_at)"
                + " values (?1, ?2, ?3, ?4, now()) on conflict (connection_id, repository, tag)"
                + " do update set digest = excluded.digest, seen_at = now() where registry_hook_digests.digest <> excluded.digest")
                .setParameter(1, hint.connection()).setParameter(2, hint.repository()).setParameter(3, hint.tag())
                .setParameter(4, digest).executeUpdate();
        int made = 0;
        if (changed > 0) {
            for (UUID image : images) {
                made += em.createNativeQuery("update container_images set next_check_at = now(), hinted_at = now()"
                        + " where id = ?1 and auto_update").setParameter(1, image).executeUpdate();
            }
        }
        delete(hint);
        return made;
    }

    @Transactional
    int delete(Hint hint) {
        return em.createNativeQuery("delete from registry_hook_hints where id = ?1 and lease_until = ?2")
                .setParameter(1, hint.id()).setParameter(2, hint.lease()).executeUpdate();
    }

    @Transactional
    int release(Hint hint, long waitSeconds) {
        return em.createNativeQuery("update registry_hook_hints set lease_until = null,"
                + " next_attempt_at = now() + make_interval(secs => ?3) where id = ?1 and lease_until = ?2")
                .setParameter(1, hint.id()).setParameter(2, hint.lease()).setParameter(3, (double) waitSeconds)
                .executeUpdate();
    }

    /** Seen digests of tags not pushed for 90 days are forgotten (the next notification of them checks again). */
    @Scheduled(every = "1h", delayed = "15m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetOld() {
        try {
            tenancy.callAsSystem(this::prune);
        } catch (RuntimeException e) {
            Log.debugf("Pruning seen registry digests failed: %s", e.getMessage());
        }
    }

    @Transactional
    int prune() {
        return em.createNativeQuery("delete from registry_hook_digests where seen_at < now() - interval '90 days'")
                .executeUpdate();
    }
}
