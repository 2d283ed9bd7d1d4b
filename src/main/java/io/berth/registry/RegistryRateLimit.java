package io.berth.registry;

/**
 * Docker Hub's rate-limit headers as last seen from a host (<a
 * href="https://docs.docker.com/docker-hub/usage/pulls/">Docker Hub usage and limits</a>):
 * {@code ratelimit-limit: 100;w=21600}, {@code ratelimit-remaining: 76;w=21600}.
 *
 * @param limit            requests allowed per window, or null when not sent
 * @param remaining        requests left in the window, or null when not sent
 * @param windowSeconds    the window ({@code w=}), or null when not sent
 * @param observedAtMillis when the answer carrying them arrived (epoch milliseconds)
 */
public record RegistryRateLimit(Integer limit, Integer remaining, Integer windowSeconds, long observedAtMillis) {
}
