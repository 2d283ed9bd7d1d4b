package io.berth.registry;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How Berth talks to container registries. */
@ConfigMapping(prefix = "berth.registry")
public interface RegistryConfig {

    /** Time allowed to open a connection to a registry or token service. */
    @WithDefault("3s")
    Duration connectTimeout();

    /** Time allowed for a registry to start answering a request. */
    @WithDefault("10s")
    Duration readTimeout();

    /**
     * Registry hosts that may resolve to loopback, link-local or private addresses: host names,
     * IP addresses or CIDR ranges (e.g. {@code registry.internal}, {@code 10.0.0.0/8}). Everything
     * else on such addresses is refused, so registry URLs cannot reach internal services.
     */
    Optional<List<String>> allowedPrivateHosts();

    /**
     * Registries read over plain HTTP when no connection says otherwise (host or host:port), like
     * Docker's insecure-registries: for public images on an internal registry without TLS.
     */
    Optional<List<String>> insecureHosts();

    /** PEM file of extra CA certificates to trust, besides the JVM's, for registries with a private CA. */
    Optional<String> caBundle();

    /**
     * Tags one listing may hold before it is refused as too large: the tags matching the filter
     * when discovery pages through a repository (it keeps only those), every tag for the tag
     * listings of the API. Bounds memory, not the repository's size (see {@link #maxTagPages()}).
     */
    @WithDefault("50000")
    int maxTags();

    /**
     * Pages of a tag list Berth reads before refusing the repository: bounds the requests and time
     * one listing costs (1,000 pages of {@link #tagsPageSize()} 1,000 = a million tags).
     */
    @WithDefault("1000")
    int maxTagPages();

    /** Tags asked for per page of a listing. */
    @WithDefault("1000")
    int tagsPageSize();

    /** Extra attempts for an idempotent request that failed to connect or got 502/503/504. */
    @WithDefault("2")
    int retries();

    /**
     * Image details (platforms, ports, created) kept by manifest digest. A digest names immutable
     * content, so a kept entry never goes stale: re-checking an unchanged image costs one HEAD.
     */
    @WithDefault("20000")
    int detailsCacheSize();

    /** How long the circuit of a failing registry host stays open before one trial request. */
    @WithDefault("10s")
    Duration circuitOpenDelay();
}
