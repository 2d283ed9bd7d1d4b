package io.berth.update;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.berth.registry.RegistryClient;
import io.berth.registry.RegistryRateLimit;

/**
 * Whether auto-update may ask a registry host now, on this replica. A host is out of budget
 * <ul>
 * <li>until the {@code Retry-After} of its last 429 (RFC 6585 §4, RFC 9110 §10.2.3), and</li>
 * <li>while its Docker Hub {@code ratelimit-remaining} is below berth.auto-update.rate-limit-reserve:
 * for as long as the sliding window takes to free the missing requests (window ÷ limit per
 * request; <a href="https://docs.docker.com/docker-hub/usage/pulls/">Docker Hub usage and
 * limits</a>). The first check after that reads the headers again.</li>
 * </ul>
 * Each replica learns this from its own answers: the budget is the registry's, per client address.
 */
@ApplicationScoped
public class RegistryBudget {

    /** The window Docker Hub documents, when a header has no {@code w=}. */
    static final long DEFAULT_WINDOW_SECONDS = 21_600;

    private final RegistryClient registry;
    private final AutoUpdateConfig config;
    private final Map<String, Instant> retryAfter = new ConcurrentHashMap<>();

    public RegistryBudget(RegistryClient registry, AutoUpdateConfig config) {
        this.registry = registry;
        this.config = config;
    }

    /**
     * When the host's budget returns, or null when it may be asked now.
     *
     * @param host a registry API host[:port] ({@code RegistryHost.apiHost()})
     */
    public Instant deferredUntil(String host) {
        Instant now = Instant.now();
        Instant until = retryAfter.get(host);
        if (until != null && !until.isAfter(now)) {
            retryAfter.remove(host, until);
            until = null;
        }
        Instant byRemaining = untilReserveReturns(registry.rateLimit(host), config.rateLimitReserve());
        if (byRemaining != null && byRemaining.isAfter(now) && (until == null || byRemaining.isAfter(until))) {
            until = byRemaining;
        }
        return until;
    }

    /**
     * Records a 429 of the host; answers until when it is out of budget.
     *
     * @param retryAfterSeconds the Retry-After the registry sent (60 when it sent none)
     */
    public Instant rateLimited(String host, long retryAfterSeconds) {
        Instant until = Instant.now().plusSeconds(Math.max(1, retryAfterSeconds));
        retryAfter.merge(host, until, (a, b) -> a.isAfter(b) ? a : b);
        return retryAfter.get(host);
    }

    /** When a sliding window has freed enough requests to be back at the reserve; null when above it. */
    static Instant untilReserveReturns(RegistryRateLimit limits, int reserve) {
        if (limits == null || limits.remaining() == null || limits.remaining() >= reserve) {
            return null;
        }
        long window = limits.windowSeconds() != null ? limits.windowSeconds() : DEFAULT_WINDOW_SECONDS;
        long perRequest = limits.limit() != null && limits.limit() > 0 ? Math.max(1, window / limits.limit()) : 60;
        long missing = reserve - limits.remaining();
        return Instant.ofEpochMilli(limits.observedAtMillis()).plusSeconds(Math.min(window, perRequest * missing));
    }
}
