package io.berth.update;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Auto-update's Micrometer meters (Prometheus names in brackets):
 * <ul>
 * <li>{@code berth.auto_update.checks{outcome=ok|failed|deferred}} [berth_auto_update_checks_total]: checks
 * run, and due checks put off because their registry host was out of rate-limit budget;</li>
 * <li>{@code berth.auto_update.rollouts{outcome=updated|skipped|conflict|failed|proposed}}
 * [berth_auto_update_rollouts_total]: applications moved, left where they are by a rule, left because a
 * user changed them meanwhile, not moved because the change failed (the database), or waiting for
 * approval (autoUpdatePolicy approve; counted at every check that finds them waiting);</li>
 * <li>{@code berth.auto_update.checks.in_flight} [berth_auto_update_checks_in_flight]: checks running now;</li>
 * <li>{@code berth.auto_update.lag} (seconds) [berth_auto_update_lag_seconds]: how overdue the most
 * overdue unclaimed check was before the last claim (0 when none was); growing means the replicas
 * cannot keep up.</li>
 * </ul>
 */
@ApplicationScoped
public class UpdateMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong lagSeconds = new AtomicLong();

    public UpdateMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("berth.auto_update.checks.in_flight", inFlight, AtomicInteger::get)
                .description("Auto-update checks running now").register(registry);
        Gauge.builder("berth.auto_update.lag", lagSeconds, AtomicLong::get).baseUnit("seconds")
                .description("How overdue the most overdue auto-update check was").register(registry);
    }

    void checked(boolean ok) {
        counter("berth.auto_update.checks", ok ? "ok" : "failed").increment();
    }

    void deferred() {
        counter("berth.auto_update.checks", "deferred").increment();
    }

    void rollout(String outcome) {
        counter("berth.auto_update.rollouts", outcome).increment();
    }

    void started() {
        inFlight.incrementAndGet();
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    void lag(long seconds) {
        lagSeconds.set(Math.max(0, seconds));
    }

    private Counter counter(String name, String outcome) {
        return registry.counter(name, "outcome", outcome);
    }
}
