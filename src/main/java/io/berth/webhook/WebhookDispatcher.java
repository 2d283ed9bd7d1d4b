package io.berth.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.berth.api.ApiException;
import io.berth.background.BackgroundThreads;
import io.berth.crypto.SecretCipher;
import io.berth.event.EventFeed;
import io.berth.persistence.Tenancy;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Delivers change events to webhook subscriptions, at least once and in feed order per
 * subscription. A delivery row is made per matching active subscription when an event is
 * sequenced ({@link #fanOut}, in the sequencer's transaction). Every poll-interval each replica
 * claims, with {@code FOR UPDATE SKIP LOCKED} and a lease, the oldest pending delivery of each
 * subscription that is due, and POSTs the CloudEvent (structured mode) signed as Standard
 * Webhooks says ({@code webhook-id} = the event id on every attempt, {@code webhook-timestamp},
 * {@code webhook-signature}). A 2xx answer delivers it; anything else (another status, no answer
 * within berth.webhooks.timeout, a redirect, a refused address) is retried after first-retry × 2^n
 * (±20 %, at most max-retry-interval) until max-age has passed since the first attempt; then the
 * delivery is failed, the subscription marked failing, and its next event goes out. A replica that
 * dies mid-delivery leaves its claim to expire; another one attempts it again.
 */
@ApplicationScoped
public class WebhookDispatcher {

    /** One claimed delivery. */
    record Claim(UUID webhook, String eventId, int attempts, Object lease) {
    }

    private final EntityManager em;
    private final WebhookConfig config;
    private final Tenancy tenancy;
    private final EventFeed feed;
    private final SecretCipher cipher;
    private final WebhookService webhooks;
    private final HttpClient client;
    private final ExecutorService workers;

    public WebhookDispatcher(EntityManager em, WebhookConfig config, Tenancy tenancy, EventFeed feed, SecretCipher cipher,
            WebhookService webhooks) {
        this.em = em;
        this.config = config;
        this.tenancy = tenancy;
        this.feed = feed;
        this.cipher = cipher;
        this.webhooks = webhooks;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.timeout()).version(HttpClient.Version.HTTP_1_1).build();
        this.workers = BackgroundThreads.pool("berth-webhooks", config.concurrency());
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    /** Makes the deliveries of freshly sequenced events, in the sequencer's transaction. */
    void fanOut(@Observes EventFeed.Sequenced sequenced) {
        em.createNativeQuery("insert into webhook_deliveries (webhook_id, event_id, position)"
                + " select w.id, e.id, e.position from events e join webhooks w on w.company_id = e.company_id"
                + " where e.position between ?1 and ?2 and w.active"
                + " and (jsonb_array_length(w.types) = 0 or w.types @> jsonb_build_array(e.type))")
                .setParameter(1, sequenced.first()).setParameter(2, sequenced.last()).executeUpdate();
    }

    /** The scheduled job's identity (for pausing it, e.g. in tests). */
    public static final String JOB = "webhook-deliveries";

    @Scheduled(identity = JOB, every = "${berth.webhooks.poll-interval:1s}", delayed = "3s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            runDue();
        } catch (RuntimeException e) { // a database outage: the next tick tries again
            Log.warnf("Webhook deliveries failed: %s", e.getMessage());
        }
    }

    /** Claims and attempts the due deliveries (one per subscription at a time); answers how many were attempted. */
    public int runDue() {
        List<Claim> claims = tenancy.callAsSystem(this::claim);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (Claim claim : claims) {
            running.add(CompletableFuture.runAsync(() -> attempt(claim), workers));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        return claims.size();
    }

    @Transactional
    List<Claim> claim() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("update webhook_deliveries d set lease_until = now() + make_interval(secs => ?1)"
                + " from (select h.webhook_id, h.event_id from webhook_deliveries h join webhooks w on w.id = h.webhook_id"
                + "   where h.status = 'PENDING' and w.active and h.next_attempt_at <= now()"
                + "   and (h.lease_until is null or h.lease_until < now())"
                + "   and not exists (select 1 from webhook_deliveries p where p.webhook_id = h.webhook_id"
                + "     and p.status = 'PENDING' and p.position < h.position)"
                + "   order by h.next_attempt_at limit ?2 for update of h skip locked) due"
                + " where d.webhook_id = due.webhook_id and d.event_id = due.event_id"
                + " returning d.webhook_id, d.event_id, d.attempts, d.lease_until")
                .setParameter(1, (double) config.lease().toSeconds()).setParameter(2, config.concurrency() * 4)
                .getResultList();
        return rows.stream().map(r -> new Claim((UUID) r[0], (String) r[1], ((Number) r[2]).intValue(), r[3])).toList();
    }

    private record Target(UUID company, String url, String secretEncrypted) {
    }

    private record Outcome(Integer status, long durationMs, String error) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    private void attempt(Claim claim) {
        Optional<Target> target = tenancy.callAsSystem(() -> target(claim.webhook()));
        Optional<byte[]> body = tenancy.callAsSystem(() -> feed.structured(claim.eventId()));
        if (target.isEmpty() || body.isEmpty()) {
            return; // the subscription or the event is gone: its delivery row went with it
        }
        Outcome outcome = send(target.get(), claim.eventId(), body.get());
        tenancy.callAsSystem(() -> record(claim, outcome));
        if (!outcome.delivered()) {
            Log.debugf("Webhook %s, event %s: attempt %d failed: %s", claim.webhook(), claim.eventId(),
                    claim.attempts() + 1, outcome.error());
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    Optional<Target> target(UUID webhook) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select company_id, url, secret_enc from webhooks where id = ?1")
                .setParameter(1, webhook).getResultList();
        return rows.stream().findFirst().map(r -> new Target((UUID) r[0], (String) r[1], (String) r[2]));
    }

    private Outcome send(Target target, String eventId, byte[] body) {
        long started = System.nanoTime();
        try {
            URI uri = webhooks.checkUrl(target.url()); // again: the address a name resolves to may have changed
            String secret = cipher.decrypt(target.secretEncrypted(), Webhook.secretContext(target.company()));
            long timestamp = System.currentTimeMillis() / 1000;
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.timeout())
                    .header("Content-Type", "application/cloudevents+json")
                    .header("User-Agent", "berth/0.1 (+webhooks)")
                    .header("webhook-id", eventId)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", WebhookSignature.sign(secret, eventId, timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            String error = status >= 200 && status < 300 ? null
                    : status >= 300 && status < 400 ? "The receiver redirected (HTTP " + status + "); redirects are not followed."
                    : "The receiver answered HTTP " + status + ".";
            return new Outcome(status, elapsed(started), error);
        } catch (ApiException e) {
            return new Outcome(null, elapsed(started), "The URL is refused: " + e.getMessage());
        } catch (java.net.http.HttpTimeoutException e) {
            return new Outcome(null, elapsed(started), "No answer within " + config.timeout().toSeconds() + " s.");
        } catch (IOException e) {
            return new Outcome(null, elapsed(started), "Cannot reach the receiver: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, elapsed(started), "Interrupted.");
        } catch (RuntimeException e) { // e.g. a secret under a key no longer configured: retried, visible in the attempts
            Log.warnf("Webhook delivery of %s could not be sent: %s", eventId, e.toString());
            return new Outcome(null, elapsed(started), "Berth could not send it: " + e.getClass().getSimpleName() + ".");
        }
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Stores the attempt and what follows from it, while the claim is still this replica's. */
    @Transactional
    int record(Claim claim, Outcome outcome) {
        int attempt = claim.attempts() + 1;
        int owned = em.createNativeQuery("update webhook_deliveries set attempts = ?3,"
                + " first_attempt_at = coalesce(first_attempt_at, now()), lease_until = null"
                + " where webhook_id = ?1 and event_id = ?2 and lease_until = ?4")
                .setParameter(1, claim.webhook()).setParameter(2, claim.eventId()).setParameter(3, attempt)
                .setParameter(4, claim.lease()).executeUpdate();
        if (owned == 0) {
            return 0; // the lease ran out and another replica took it: its attempt counts
        }
        String error = outcome.error() == null ? null
                : outcome.error().length() > 500 ? outcome.error().substring(0, 500) : outcome.error();
        em.createNativeQuery("insert into webhook_attempts (webhook_id, event_id, attempt, attempted_at, status_code,"
                + " duration_ms, error) values (?1, ?2, ?3, now(), ?4, ?5, ?6)")
                .setParameter(1, claim.webhook()).setParameter(2, claim.eventId()).setParameter(3, attempt)
                .setParameter(4, outcome.status()).setParameter(5, (int) Math.min(Integer.MAX_VALUE, outcome.durationMs()))
                .setParameter(6, error).executeUpdate();
        if (outcome.delivered()) {
            em.createNativeQuery("update webhook_deliveries set status = 'DELIVERED', finished_at = now()"
                    + " where webhook_id = ?1 and event_id = ?2").setParameter(1, claim.webhook())
                    .setParameter(2, claim.eventId()).executeUpdate();
            em.createNativeQuery("update webhooks set failing = false where id = ?1 and failing")
                    .setParameter(1, claim.webhook()).executeUpdate();
            return 1;
        }
        int gaveUp = em.createNativeQuery("update webhook_deliveries set status = 'FAILED', finished_at = now()"
                + " where webhook_id = ?1 and event_id = ?2 and first_attempt_at < now() - make_interval(secs => ?3)")
                .setParameter(1, claim.webhook()).setParameter(2, claim.eventId())
                .setParameter(3, (double) config.maxAge().toSeconds()).executeUpdate();
        if (gaveUp > 0) {
            em.createNativeQuery("update webhooks set failing = true where id = ?1").setParameter(1, claim.webhook())
                    .executeUpdate();
            Log.warnf("Webhook %s: event %s given up after %d attempts over %s", claim.webhook(), claim.eventId(),
                    attempt, config.maxAge());
        } else {
            em.createNativeQuery("update webhook_deliveries set next_attempt_at = now() + make_interval(secs => ?3)"
                    + " where webhook_id = ?1 and event_id = ?2").setParameter(1, claim.webhook())
                    .setParameter(2, claim.eventId()).setParameter(3, retryIn(attempt)).executeUpdate();
        }
        return 1;
    }

    /** Seconds before the next attempt after {@code attempts} failed ones: first-retry × 2^(n−1), ±20 %, capped. */
    double retryIn(int attempts) {
        double base = config.firstRetry().toMillis() / 1000.0 * Math.pow(2, Math.min(attempts - 1, 30));
        double capped = Math.min(base, config.maxRetryInterval().toSeconds());
        return capped * (0.8 + ThreadLocalRandom.current().nextDouble() * 0.4);
    }
}
