package io.berth.registry;

import java.net.URI;

/**
 * One registry's address: {@link #name()} is the host as users configure and write it,
 * normalized ({@code host[:port]}, lower case, Docker Hub's aliases as {@value ImageReference#DOCKER_HUB});
 * {@link #apiHost()} is where its Docker Registry HTTP API v2 / OCI distribution API is served
 * ({@value #DOCKER_HUB_API} for Docker Hub, the name itself for every other registry).
 *
 * <p>Any {@code host[:port]} of the distribution reference grammar is accepted: DNS names
 * (single labels such as {@code localhost} or {@code registry} included), IPv4 addresses and
 * bracketed IPv6 literals ({@code [::1]:5000}), with a port of at most 65535.
 *
 * @param name the normalized {@code host[:port]}; the constructor normalizes what it is given
 * @throws ImageReference.InvalidReferenceException (part {@code NAME}) from the constructor when
 *         {@code name} is null, empty or not such a host, with the message
 *         {@link ImageReference#normalizeHost(String)} gives
 */
public record RegistryHost(String name) {

    /**
     * Where Docker Hub's registry API is served: docker's own default (the engine and
     * distribution/reference name docker.io, and talk to registry-1.docker.io).
     */
    public static final String DOCKER_HUB_API = "registry-1.docker.io";

    public RegistryHost {
        name = ImageReference.normalizeHost(name);
    }

    /** The registry an image reference names ({@link ImageReference#registry()}). */
    public static RegistryHost of(ImageReference ref) {
        return new RegistryHost(ref.registry());
    }

    /** The {@code host[:port]} the registry API is served from, e.g. {@value #DOCKER_HUB_API} for docker.io. */
    public String apiHost() {
        return name.equals(ImageReference.DOCKER_HUB) ? DOCKER_HUB_API : name;
    }

    /** The API host without its port (an IPv6 literal keeps its brackets): what the address policy checks. */
    String apiHostname() {
        return withoutPort(apiHost());
    }

    /** The configured name without its port (an IPv6 literal keeps its brackets). */
    String hostname() {
        return withoutPort(name);
    }

    /** The API root, {@code https://apiHost/}, or {@code http://apiHost/} when {@code plainHttp}. */
    URI apiBase(boolean plainHttp) {
        return URI.create((plainHttp ? "http://" : "https://") + apiHost() + "/");
    }

    @Override
    public String toString() {
        return name;
    }

    /** {@code host} or {@code host:port} of a URI, as registries, policies and counters key hosts. */
    static String hostAndPort(URI uri) {
        return uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
    }

    /** {@code host:port} to {@code host}; {@code [::1]} stays whole (its colons are no port). */
    static String withoutPort(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return colon > 0 && !hostAndPort.endsWith("]") ? hostAndPort.substring(0, colon) : hostAndPort;
    }
}
