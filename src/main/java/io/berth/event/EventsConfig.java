package io.berth.event;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Change events; README "Configuration" lists every key. */
@ConfigMapping(prefix = "berth.events")
public interface EventsConfig {

    /** How long events stay in the feed. */
    @WithDefault("7D")
    Duration retention();

    /** How often committed events are given their feed position (reading the feed also does it). */
    @WithDefault("1S")
    Duration sequenceInterval();
}
