package io.berth.update;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How auto-update schedules its checks; README "Configuration" lists every key. */
@ConfigMapping(prefix = "berth.auto-update")
public interface AutoUpdateConfig {

    /** Whether container images with autoUpdate are checked on their own. */
    @WithDefault("true")
    boolean enabled();

    /** How often each replica looks for due images (a round runs until none is due). */
    @WithDefault("60s")
    java.time.Duration pollInterval();

    /** How long after start-up a replica's first round waits. */
    @WithDefault("30s")
    java.time.Duration initialDelay();

    /** Images one claim takes at most; a round claims batch after batch until none is due. */
    @WithDefault("100")
    int batchSize();

    /** Checks of one registry host running at once on a replica (checks of different hosts run in parallel). */
    @WithDefault("4")
    int perHostConcurrency();

    /** Checks running at once on a replica, across all hosts (the worker threads). */
    @WithDefault("16")
    int maxConcurrentChecks();

    /**
     * Docker Hub-style {@code ratelimit-remaining} below which a host is not asked by auto-update
     * until its window frees requests, so users' own pulls keep a budget.
     */
    @WithDefault("10")
    int rateLimitReserve();

    /** Check interval of images without a registry connection (with one: its refreshIntervalMinutes). */
    @WithDefault("30")
    int defaultIntervalMinutes();

    /**
     * How long a replica holds a claimed check; if it dies mid-check, another replica takes the image
     * after this. Longer than a check can take (registry timeouts and retries included).
     */
    @WithDefault("5M")
    java.time.Duration lease();
}
