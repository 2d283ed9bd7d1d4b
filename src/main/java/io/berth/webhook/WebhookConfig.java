package io.berth.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Webhook deliveries; README "Configuration" lists every key. */
@ConfigMapping(prefix = "berth.webhooks")
public interface WebhookConfig {

    /** How often each replica looks for deliveries that are due. */
    @WithDefault("1S")
    Duration pollInterval();

    /** The wait before the first retry; each further retry waits twice as long (±20 %). */
    @WithDefault("10S")
    Duration firstRetry();

    /** The longest wait between two attempts. */
    @WithDefault("1H")
    Duration maxRetryInterval();

    /** How long an event is retried before it is given up and the subscription marked failing. */
    @WithDefault("24H")
    Duration maxAge();

    /** Time allowed for a receiver to answer (connect included). */
    @WithDefault("10S")
    Duration timeout();

    /** How long a replica holds a claimed delivery; another takes it after that if it died. */
    @WithDefault("1M")
    Duration lease();

    /** Deliveries (each to a different subscription) attempted at once per replica. */
    @WithDefault("8")
    int concurrency();

    /**
     * Receivers that may be on loopback, private or link-local addresses: host names, addresses or
     * CIDR ranges. Everything else on such addresses is refused (SSRF), as for registries.
     */
    Optional<List<String>> allowedPrivateHosts();

    /** Receivers (host or host:port) that may be plain HTTP; all others must be HTTPS. */
    Optional<List<String>> insecureHosts();
}
