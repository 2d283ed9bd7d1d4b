package io.berth.hook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.api.ApiException;
import io.berth.api.ErrorCode;
import io.berth.api.TokenBuckets;
import io.berth.connection.WebhookSecrets;
import io.berth.connection.WebhookSecrets.HookTarget;
import io.berth.hook.HookDtos.Receipt;
import io.berth.hook.Notifications.Notification;
import io.berth.hook.Notifications.Push;
import io.berth.registry.ImageReference;
import io.quarkus.logging.Log;

/**
 * Receives a registry notification and trusts none of it: the body read to at most
 * {@code berth.hooks.max-body-bytes} (413), the connection's webhook secret ({@link HookAuth}; an
 * unknown connection, one without a secret and a wrong secret answer the same 401 after the same
 * work), the connection's budget (429; refused requests spend a budget of their own, so that
 * someone without the secret cannot use up the registry's), the kind and pushes
 * ({@link Notifications}, 400 when unknown), the replay window (401), and then records each pushed
 * repository:tag as a hint in one transaction, so that the 202 survives a restart. At most
 * {@value #MAX_PUSHES} pushes per notification are recorded; the answer counts the rest as ignored. {@link HintWorker} confirms and acts on the
 * hints; this class only asks it to start now.
 *
 * <p>Replay rules per source ({@code berth.hooks.max-age}, default 5 minutes, either direction):
 * Harbor {@code occur_at} and Docker Hub {@code pushed_at} outside the window → 401; GitHub signs no
 * time, so an {@code X-GitHub-Delivery} seen on this replica within twice the window → 401;
 * Distribution events outside the window are ignored, not refused: Distribution retries a refused
 * delivery forever and holds every later notification behind it, so one stale event (after Berth
 * was unreachable) would end its notifications until it restarts. Quay sends no time. Whatever
 * passes is still only a hint: the registry is asked, and a digest seen before does nothing.
 */
@ApplicationScoped
public class HookService {

    private static final Pattern DIGEST = Pattern.compile("sha(256|512):[a-f0-9]{64,128}");
    /** Pushes recorded per notification: a push is a tag, real notifications name one or a few. */
    static final int MAX_PUSHES = 100;
    /** GitHub's delivery ids are UUIDs; a longer one would only fill the replay memory. */
    static final int MAX_DELIVERY_ID = 100;
    /** Budget key of every id that is no UUID (all of them answer 401). */
    private static final String NOT_AN_ID = "not-an-id";

    /** Checked against when the connection is unknown or has no secret, so such requests take the same path. */
    private final String standIn;
    private final WebhookSecrets secrets;
    private final HookConfig config;
    private final HookMetrics metrics;
    private final HintWorker worker;
    private final EntityManager em;
    private final TokenBuckets buckets;
    private final TokenBuckets refusals;
    private final Cache<String, Boolean> deliveries;

    public HookService(WebhookSecrets secrets, HookConfig config, HookMetrics metrics, HintWorker worker, EntityManager em) {
        this.secrets = secrets;
        this.config = config;
        this.metrics = metrics;
        this.worker = worker;
        this.em = em;
        this.buckets = new TokenBuckets(config.rateLimitRequests(), config.rateLimitPeriod());
        this.refusals = new TokenBuckets(config.rateLimitRequests(), config.rateLimitPeriod());
        this.deliveries = Caffeine.newBuilder().expireAfterWrite(config.maxAge().multipliedBy(2)).maximumSize(10_000).build();
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.standIn = WebhookSecrets.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** What the resource read from the request, untrusted. */
    public record Incoming(String connectionId, Notifications.Headers headers, HookAuth.Presented presented,
            InputStream body) {
    }

    /** The body is larger than {@code berth.hooks.max-body-bytes}: 413 (the resource sets the status). */
    public static final class TooLarge extends RuntimeException {
        private final ApiException error;

        TooLarge(int limit) {
            super("too large", null, false, false);
            this.error = ApiException.validation(null, "The notification is larger than " + limit + " bytes.",
                    "Registries send a few KiB per notification; check what is posted to this URL.");
        }

        public ApiException error() {
            return error;
        }
    }

    /**
     * Authenticates and records a notification for connection {@code incoming.connectionId()}.
     *
     * @throws ApiException 429 over the connection's budget (a budget per connection for authentic
     *                      requests, another for refused ones; ids compared as UUIDs, so another
     *                      spelling of one id is the same connection); 401 without the connection's
     *                      secret or as a replay; 400 for an unknown payload; 503 when the database is down
     * @throws TooLarge     for a body above the limit
     */
    public Receipt receive(Incoming incoming) {
        byte[] body = readBounded(incoming.body());
        Optional<UUID> id = parseId(incoming.connectionId());
        String budget = id.map(UUID::toString).orElse(NOT_AN_ID);
        Optional<HookTarget> target = id.flatMap(secrets::forHook);
        String secret = target.map(HookTarget::secret).orElse(null);
        boolean authentic = HookAuth.authentic(secret != null ? secret : standIn, incoming.presented(), body);
        if (!authentic || secret == null) {
            spend(refusals, budget);
            metrics.notification("unknown", "unauthorized");
            throw unauthorized("Missing or wrong webhook secret, or no such registry connection.");
        }
        spend(buckets, budget);
        HookTarget connection = target.get();
        Notification notification;
        try {
            notification = Notifications.parse(incoming.headers(), body);
        } catch (Notifications.UnknownPayload e) {
            metrics.notification("unknown", "invalid");
            throw ApiException.validation(null, e.getMessage(), "Configure the registry to send push notifications as "
                    + "the README (Registry webhooks) shows for it.");
        }
        String source = notification.source().wire();
        Instant now = Instant.now();
        if (notification.sentAt() != null && !fresh(notification.sentAt(), now)) {
            metrics.notification(source, "replayed");
            throw unauthorized("The notification's time (" + notification.sentAt() + ") is more than "
                    + config.maxAge().toMinutes() + " minutes from Berth's: refused as a replay.");
        }
        if (notification.deliveryId() != null && notification.deliveryId().length() > MAX_DELIVERY_ID) {
            metrics.notification(source, "invalid");
            throw ApiException.validation("X-GitHub-Delivery", "X-GitHub-Delivery must be at most " + MAX_DELIVERY_ID
                    + " characters.", "GitHub sends a UUID here.");
        }
        String delivery = notification.deliveryId() == null ? null : connection.connectionId() + "/" + notification.deliveryId();
        if (delivery != null && deliveries.getIfPresent(delivery) != null) {
            metrics.notification(source, "replayed");
            throw unauthorized("This delivery was received already: refused as a replay.");
        }
        List<Push> pushes = new ArrayList<>();
        int ignored = 0;
        for (Push push : notification.pushes()) {
            Push normalized = normalize(connection, push);
            if (normalized == null || (push.at() != null && !fresh(push.at(), now))
                    || (pushes.size() == MAX_PUSHES && !pushes.contains(normalized))) {
                ignored++;
            } else if (!pushes.contains(normalized)) {
                pushes.add(normalized);
            }
        }
        if (!pushes.isEmpty()) {
            record(connection, notification.source(), pushes);
            worker.nudge();
        }
        if (delivery != null && !pushes.isEmpty()) {
            // only once recorded (a failed delivery may be redelivered), and only when it did something:
            // replaying a ping or an ignored push costs nothing, remembering them would cost memory
            deliveries.put(delivery, Boolean.TRUE);
        }
        metrics.notification(source, pushes.isEmpty() ? "ignored" : "accepted");
        if (pushes.isEmpty()) { // e.g. Distribution's blob and pull events: one per layer, not worth a line each
            Log.debugf("Registry notification (%s) for connection %s: nothing pushed to confirm, %d ignored", source,
                    connection.connectionId(), ignored);
        } else {
            Log.infof("Registry notification (%s) for connection %s: %d push(es) to confirm, %d ignored", source,
                    connection.connectionId(), pushes.size(), ignored);
        }
        return new Receipt(source, pushes.size(), ignored);
    }

    /** Records the pushes as hints, in one transaction (duplicates are cheap: the confirmation deduplicates). */
    @Transactional
    void record(HookTarget connection, HookSource source, List<Push> pushes) {
        for (Push push : pushes) {
            em.createNativeQuery("insert into registry_hook_hints (company_id, connection_id, source, repository, tag, digest)"
                    + " values (?1, ?2, ?3, ?4, ?5, ?6)")
                    .setParameter(1, connection.company()).setParameter(2, connection.connectionId())
                    .setParameter(3, source.wire()).setParameter(4, push.repository()).setParameter(5, push.tag())
                    .setParameter(6, push.digest()).executeUpdate();
        }
    }

    /**
     * The push with its repository as the connection's registry names it ({@code library/} added on
     * Docker Hub) and a digest only when well-formed; null when repository or tag is no valid name.
     */
    private static Push normalize(HookTarget connection, Push push) {
        try {
            ImageReference ref = ImageReference.inRegistry(connection.registryUrl(), push.repository()).withTag(push.tag());
            String digest = push.digest() != null && DIGEST.matcher(push.digest()).matches() ? push.digest() : null;
            return new Push(ref.repository(), ref.tag(), digest, null);
        } catch (ImageReference.InvalidReferenceException e) {
            return null;
        }
    }

    private boolean fresh(Instant at, Instant now) {
        return Duration.between(at, now).abs().compareTo(config.maxAge()) <= 0;
    }

    private byte[] readBounded(InputStream in) {
        int limit = config.maxBodyBytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                if (out.size() > limit) {
                    metrics.notification("unknown", "too_large");
                    throw new TooLarge(limit);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void spend(TokenBuckets budget, String key) {
        try {
            budget.acquire(key);
        } catch (ApiException e) {
            metrics.notification("unknown", "rate_limited");
            throw e;
        }
    }

    private static Optional<UUID> parseId(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The one 401 of this path; unknown connection and wrong secret share its message. */
    private static ApiException unauthorized(String message) {
        return new ApiException(ErrorCode.UNAUTHORIZED, message, null,
                "Send the secret from POST /api/registries/{id}/webhook-secret as the README (Registry webhooks) "
                        + "shows for your registry.",
                Map.of("WWW-Authenticate", "Bearer"));
    }
}
