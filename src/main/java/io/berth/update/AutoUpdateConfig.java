package io.berth.update;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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

    /** Images checked per round at most (a round runs every minute). */
    @WithDefault("50")
    int batchSize();

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
