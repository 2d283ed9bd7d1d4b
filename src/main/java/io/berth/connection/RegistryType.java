package io.berth.connection;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Kinds of registry; all speak the Registry v2 / OCI Distribution API. Some imply a default host. */
public enum RegistryType {
    @JsonProperty("dockerhub")
    DOCKERHUB("docker.io"),
    @JsonProperty("ghcr")
    GHCR("ghcr.io"),
    @JsonProperty("gitlab")
    GITLAB("registry.gitlab.com"),
    @JsonProperty("quay")
    QUAY("quay.io"),
    @JsonProperty("generic")
    GENERIC(null);

    private final String defaultHost;

    RegistryType(String defaultHost) {
        this.defaultHost = defaultHost;
    }

    /** The registry host used when none is given, or null when one is required. */
    public String defaultHost() {
        return defaultHost;
    }
}
