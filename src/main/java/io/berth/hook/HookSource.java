package io.berth.hook;

import java.util.Locale;

/** The kinds of registry notification Berth accepts; {@link #wire()} is the metric label and the answer's {@code source}. */
public enum HookSource {
    /** CNCF Distribution ({@code registry:2}, and registries built on it): {@code notifications.endpoints}. */
    DISTRIBUTION,
    /** Docker Hub repository webhooks. */
    DOCKER_HUB,
    /** GitHub {@code package} (and legacy {@code registry_package}) events, i.e. GHCR pushes. */
    GITHUB,
    /** Harbor policy webhooks ({@code PUSH_ARTIFACT}). */
    HARBOR,
    /** Quay repository-push notifications. */
    QUAY;

    /** Lower-case name with a dash: {@code distribution}, {@code docker-hub}, {@code github}, {@code harbor}, {@code quay}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
