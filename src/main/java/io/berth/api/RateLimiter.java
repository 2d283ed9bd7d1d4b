package io.berth.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Token bucket per caller: {@code requests} tokens refilled evenly over {@code period}, so there is
 * no burst at window edges. State is per instance: with N replicas behind a round-robin balancer a
 * caller gets up to N times the budget (documented in the README).
 */
@ApplicationScoped
public class RateLimiter {

    private static final String DECISION = RateLimiter.class.getName();
    /** Buckets idle long enough to be full again are dropped once the map grows past this. */
    private static final int PRUNE_ABOVE = 10_000;

    private final RateLimitConfig config;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(RateLimitConfig config) {
        this.config = config;
    }

    record Decision(boolean allowed, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {
    }

    /** Takes one token for the key, or answers 429 RATE_LIMITED; remembers the outcome for the headers. */
    public void acquire(ContainerRequestContext request, String key) {
        if (!config.enabled()) {
            return;
        }
        Decision decision = take(key, System.nanoTime());
        request.setProperty(DECISION, decision);
        if (!decision.allowed()) {
            throw new ApiException(ErrorCode.RATE_LIMITED, "Too many requests.", null,
                    "Wait " + decision.retryAfterSeconds() + " seconds before retrying.",
                    Map.of("Retry-After", Long.toString(decision.retryAfterSeconds())));
        }
    }

    Decision take(String key, long now) {
        if (buckets.size() > PRUNE_ABOVE) {
            buckets.values().removeIf(b -> b.fullAt(now, capacity(), nanosPerToken()));
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(capacity(), now));
        return bucket.take(now, capacity(), nanosPerToken());
    }

    private int capacity() {
        return Math.max(1, config.requests());
    }

    private double nanosPerToken() {
        return (double) config.period().toNanos() / capacity();
    }

    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(DECISION) instanceof Decision d) {
            response.getHeaders().putSingle("RateLimit-Limit", d.limit());
            response.getHeaders().putSingle("RateLimit-Remaining", d.remaining());
            response.getHeaders().putSingle("RateLimit-Reset", d.resetSeconds());
            response.getHeaders().putSingle("RateLimit-Policy", d.limit() + ";w=" + config.period().toSeconds());
        }
    }

    static final class Bucket {
        private double tokens;
        private long updatedAt;

        Bucket(int capacity, long now) {
            this.tokens = capacity;
            this.updatedAt = now;
        }

        synchronized Decision take(long now, int capacity, double nanosPerToken) {
            refill(now, capacity, nanosPerToken);
            boolean allowed = tokens >= 1;
            if (allowed) {
                tokens -= 1;
            }
            long retryAfter = allowed ? 0 : seconds((1 - tokens) * nanosPerToken);
            return new Decision(allowed, capacity, (int) Math.floor(tokens), seconds((capacity - tokens) * nanosPerToken),
                    Math.max(1, retryAfter));
        }

        synchronized boolean fullAt(long now, int capacity, double nanosPerToken) {
            refill(now, capacity, nanosPerToken);
            return tokens >= capacity;
        }

        private void refill(long now, int capacity, double nanosPerToken) {
            tokens = Math.min(capacity, tokens + (now - updatedAt) / nanosPerToken);
            updatedAt = now;
        }

        private static long seconds(double nanos) {
            return (long) Math.ceil(nanos / 1_000_000_000d);
        }
    }
}
