package io.berth.registry;

/** Docker Hub's {@code ratelimit-limit} / {@code ratelimit-remaining} as last seen from a host. */
public record RegistryRateLimit(Integer limit, Integer remaining, long observedAtMillis) {
}
