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

    /**
     * Where every event is also sent (CloudEvents structured mode), e.g. a Knative Broker: set from
     * {@code K_SINK}, which a SinkBinding or ContainerSource injects; unset: no sink.
     */
    java.util.Optional<String> sink();

    /** How often committed events are given their feed position (reading the feed also does it). */
    @WithDefault("1S")
    Duration sequenceInterval();
}
