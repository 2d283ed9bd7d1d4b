package io.berth.hook;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Registry webhooks' Micrometer meters (Prometheus names in brackets):
 * <ul>
 * <li>{@code berth.registry_notifications{source,outcome}} [berth_registry_notifications_total]:
 * notifications received, by {@link HookSource#wire() source} ({@code unknown} when refused before
 * its kind was read) and outcome: {@code accepted} (pushes recorded as hints), {@code ignored}
 * (authentic, but nothing pushed: pulls, deletes, pings, untagged or stale Distribution events),
 * {@code unauthorized}, {@code replayed}, {@code invalid} (unknown payload), {@code too_large},
 * {@code rate_limited};</li>
 * <li>{@code berth.registry_hints{outcome}} [berth_registry_hints_total]: what became of each pushed
 * repository:tag: {@code checked} (confirmed new, matching images made due), {@code duplicate}
 * (digest seen already), {@code no_match} (no auto-updated image of the connection tracks it
 * under a matching tag filter), {@code unconfirmed} (the registry does not have it),
 * {@code retried} and {@code failed} (the registry could not be asked; failed after the last attempt).</li>
 * </ul>
 */
@ApplicationScoped
public class HookMetrics {

    private final MeterRegistry registry;

    public HookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void notification(String source, String outcome) {
        registry.counter("berth.registry_notifications", "source", source, "outcome", outcome).increment();
    }

    void hint(String outcome) {
        registry.counter("berth.registry_hints", "outcome", outcome).increment();
    }
}
