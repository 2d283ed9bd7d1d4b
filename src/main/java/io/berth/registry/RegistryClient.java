package io.berth.registry;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.registry.RegistryException.Kind;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A Docker Registry HTTP API v2 / OCI distribution-spec client, the one entry point of this
 * package. It knows nothing of tenants or storage: it takes a reference and credentials and
 * answers facts or a {@link RegistryException} (its {@link RegistryException.Kind} says what went
 * wrong; every method may throw UNREACHABLE, TIMEOUT, TLS, UNAVAILABLE, RATE_LIMITED and
 * REFUSED_TARGET besides those it names).
 *
 * <p>Its parts, from the bottom: {@link RegistryHost} and {@link ImageReference} (names);
 * {@code RegistryHttp} (one bounded exchange, address policy, retries and circuit per host),
 * {@code Redirects} (per-hop redirects and credentials); {@code Authenticator},
 * {@code TokenService} and {@code TokenCache} (challenge, token exchange, token lifetimes);
 * {@code Manifests} and {@code Tags} (what is read, and checked, from a registry).
 *
 * <p>Authentication follows the registry's answer: the real request goes first; a 401's
 * challenge (Bearer preferred, else Basic) says how to authenticate. A token lives at least 60 s
 * whatever the token service says and is renewed when a tenth of its life is left. Redirects are
 * followed hop by hop: a connection's credentials and tokens go only to the registry they belong
 * to; a redirect target that refuses an anonymous request is DENIED, naming both hosts.
 */
@ApplicationScoped
public class RegistryClient {

    /** Manifest media types Berth reads (OCI image-spec, Docker image manifest v2 schema 2). */
    public static final String OCI_INDEX = Manifests.OCI_INDEX;
    public static final String OCI_MANIFEST = Manifests.OCI_MANIFEST;
    public static final String DOCKER_LIST = Manifests.DOCKER_LIST;
    public static final String DOCKER_MANIFEST = Manifests.DOCKER_MANIFEST;

    private final RegistryConfig config;
    private final RegistryHttp http;
    private final Authenticator registries;
    private final Manifests manifests;
    private final Tags tags;

    /** A client whose request counter goes nowhere (benchmarks and unit tests). */
    public RegistryClient(RegistryConfig config, ObjectMapper mapper) {
        this(config, mapper, new SimpleMeterRegistry());
    }

    /** The application's client: {@code berth.registry.requests{host,status}} counts every request sent. */
    @Inject
    public RegistryClient(RegistryConfig config, ObjectMapper mapper, MeterRegistry meters) {
        this.config = config;
        this.http = new RegistryHttp(config, meters);
        this.registries = new Authenticator(http, mapper);
        this.manifests = new Manifests(registries, mapper, config.detailsCacheSize());
        this.tags = new Tags(registries, mapper, config);
    }

    /**
     * Whether the manifest exists, and its digest: one HEAD (free on Docker Hub) when the token is
     * warm; one GET more when the registry sends no usable {@code Docker-Content-Digest} (absent,
     * empty or not a sha256/sha512 digest), whose bytes are then hashed.
     *
     * @throws RegistryException NOT_FOUND, DENIED, CREDENTIALS_REJECTED, INVALID_RESPONSE (bytes
     *         that do not hash to their announced digest, schema 1)
     */
    public ManifestInfo head(ImageReference ref, RegistryAuth auth) {
        return manifests.head(ref, auth);
    }

    /**
     * Digest, platforms and image-config facts (exposed ports, created, labels) of a tag or digest:
     * one HEAD when the digest's details were read before, else a HEAD, the manifest, the chosen
     * platform's manifest for an index, and the config blob.
     * For an index the digest is the index's, the facts are those of linux/amd64 (else the first
     * runnable platform); attestation entries (os unknown) are no platforms.
     *
     * @throws RegistryException as {@link #head}, and INVALID_RESPONSE for a manifest without a
     *         usable config digest or an index entry that is no sha256/sha512 digest
     */
    public ImageDetails inspect(ImageReference ref, RegistryAuth auth) {
        return manifests.inspect(ref, auth);
    }

    /**
     * Every tag of the repository, following {@code Link: rel="next"} pages: one request per page
     * of {@code berth.registry.tags-page-size}. Signature tags of cosign and invalid tags are left
     * out. At most {@code berth.registry.max-tags} tags are held, else TOO_MANY_TAGS.
     */
    public List<String> tags(ImageReference repository, RegistryAuth auth) {
        return tags(repository, auth, tag -> true).kept();
    }

    /**
     * Reads every page of the repository's tag list but holds only the tags {@code keep} accepts,
     * so memory follows the matches, not the repository's size. TOO_MANY_TAGS when more than
     * {@code berth.registry.max-tags} are kept or the list has more than
     * {@code berth.registry.max-tag-pages} pages; REFUSED_TARGET when a next-page link points to
     * another host, port or scheme.
     */
    public TagListing tags(ImageReference repository, RegistryAuth auth, Predicate<String> keep) {
        return tags.list(repository, auth, keep);
    }

    /** Whether the repository exists at all (to tell an unknown repository from an unknown tag). */
    public boolean repositoryExists(ImageReference repository, RegistryAuth auth) {
        return tags.repositoryExists(repository, auth);
    }

    /**
     * The registry handshake of a connection test: {@code GET /v2/} (the API version check of the
     * Docker Registry HTTP API v2) and, when the registry asks for it, authentication with the
     * given credentials.
     *
     * @param registry a registry {@code host[:port]} ({@link RegistryHost})
     * @throws RegistryException CREDENTIALS_REJECTED, DENIED (403), RATE_LIMITED, INVALID_RESPONSE
     *         (any other status than 200)
     * @throws ImageReference.InvalidReferenceException when {@code registry} is no host[:port]
     */
    public void ping(String registry, RegistryAuth auth) {
        RegistryHost host = new RegistryHost(registry);
        ImageReference root = new ImageReference(host.name(), "", null, null); // no repository: no scope
        Exchange answer = registries.send("GET", host.apiBase(auth.insecure()).resolve("/v2/"), root, auth, Map.of(),
                64 << 10);
        if (answer.status() == 429) {
            throw answer.rateLimited();
        }
        if (answer.status() == 403) {
            throw new RegistryException(Kind.DENIED, "The registry refused access (HTTP 403).");
        }
        if (answer.status() != 200) {
            throw new RegistryException(Kind.INVALID_RESPONSE, registry + " does not answer as a registry (HTTP "
                    + answer.status() + " on /v2/).");
        }
    }

    /**
     * Anonymous access to an image's registry: HTTPS, or plain HTTP when its host[:port] or host
     * is one of berth.registry.insecure-hosts.
     */
    public RegistryAuth anonymous(ImageReference ref) {
        List<String> insecure = config.insecureHosts().orElse(List.of());
        RegistryHost host = RegistryHost.of(ref);
        boolean plain = insecure.contains(host.name()) || insecure.contains(host.hostname());
        return plain ? new RegistryAuth(null, null, true) : RegistryAuth.ANONYMOUS;
    }

    /**
     * Refuses a registry host the internal-address policy does not allow (berth.registry.allowed-private-hosts).
     *
     * @param registry a registry {@code host[:port]}; its API host is checked (registry-1.docker.io for docker.io)
     * @throws RegistryException REFUSED_TARGET (internal address), UNREACHABLE (does not resolve)
     * @throws ImageReference.InvalidReferenceException when {@code registry} is no host[:port]
     */
    public void checkTarget(String registry) {
        http.checkHost(new RegistryHost(registry).apiHostname());
    }

    /** Requests sent to a host[:port] so far (for benchmarks and tests). */
    public long requestCount(String hostAndPort) {
        return http.requestCount(hostAndPort);
    }

    /** Docker Hub-style rate-limit headers last seen from a host[:port] (an API host), or null. */
    public RegistryRateLimit rateLimit(String hostAndPort) {
        return http.rateLimit(hostAndPort);
    }
}
