package io.berth.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key with a budget of their own, for limits that are not per caller (e.g. per
 * registry connection on the unauthenticated webhook path): {@code requests} tokens refilled evenly
 * over {@code period}, the arithmetic of {@link RateLimiter}. State is per instance.
 */
public final class TokenBuckets {

    private static final int PRUNE_ABOVE = 10_000;

    private final int capacity;
    private final double nanosPerToken;
    private final Map<String, RateLimiter.Bucket> buckets = new ConcurrentHashMap<>();

    public TokenBuckets(int requests, Duration period) {
        this.capacity = Math.max(1, requests);
        this.nanosPerToken = (double) period.toNanos() / capacity;
    }

    /**
     * Takes one token for {@code key}.
     *
     * @throws ApiException 429 RATE_LIMITED with Retry-After (seconds) when the key's bucket is empty
     */
    public void acquire(String key) {
        long now = System.nanoTime();
        if (buckets.size() > PRUNE_ABOVE) {
            buckets.values().removeIf(b -> b.fullAt(now, capacity, nanosPerToken));
        }
        RateLimiter.Decision decision = buckets.computeIfAbsent(key, k -> new RateLimiter.Bucket(capacity, now))
                .take(now, capacity, nanosPerToken);
        if (!decision.allowed()) {
            throw new ApiException(ErrorCode.RATE_LIMITED, "Too many requests.", null,
                    "Wait " + decision.retryAfterSeconds() + " seconds before retrying.",
                    Map.of("Retry-After", Long.toString(decision.retryAfterSeconds())));
        }
    }
}
