package io.berth.idempotency;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "berth.idempotency")
public interface IdempotencyConfig {

    /** How long a completed response is replayed for the same key. */
    @WithDefault("24h")
    Duration ttl();

    /**
     * How long a key stays locked by a request that never finished (its instance died), after
     * which the key may be used again.
     */
    @WithDefault("5m")
    Duration abandonedAfter();
}
