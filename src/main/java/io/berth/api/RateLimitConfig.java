package io.berth.api;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Per-caller request budget, kept in each instance's memory. */
@ConfigMapping(prefix = "berth.rate-limit")
public interface RateLimitConfig {

    /** Whether requests are limited at all. */
    @WithDefault("true")
    boolean enabled();

    /** Requests a caller may make per {@link #period()} on one instance. */
    @WithDefault("300")
    int requests();

    /** The window the budget refills over, continuously (token bucket). */
    @WithDefault("1m")
    Duration period();
}
