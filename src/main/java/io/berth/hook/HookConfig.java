package io.berth.hook;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Registry webhooks in; README "Registry webhooks" and "Configuration" list every key. */
@ConfigMapping(prefix = "berth.hooks")
public interface HookConfig {

    /** Notifications one connection may send per {@link #rateLimitPeriod()} on one instance (then 429). */
    @WithDefault("120")
    int rateLimitRequests();

    /** The window the per-connection budget refills over, evenly. */
    @WithDefault("1M")
    Duration rateLimitPeriod();

    /** How far a notification's own time may lie in the past (or future) before it is refused as a replay. */
    @WithDefault("5M")
    Duration maxAge();

    /** Largest notification body in bytes (413 above). */
    @WithDefault("1048576")
    int maxBodyBytes();

    /**
     * How often each replica looks for unconfirmed hints that no nudge picked up (those of a replica
     * that died after its 202, and retries after a registry failure).
     */
    @WithDefault("10S")
    Duration pollInterval();

    /** How long a replica holds a claimed hint if it dies while confirming it. */
    @WithDefault("1M")
    Duration lease();

    /** Confirmations tried for one hint while its registry fails, spaced 10 s, 20 s, 40 s, ... */
    @WithDefault("5")
    int maxAttempts();

    /**
     * The address registries reach Berth at, e.g. {@code https://berth.example.com}, for the URL the
     * webhook-secret answer shows; without it, the address the rotating request came to.
     */
    Optional<String> publicUrl();
}
