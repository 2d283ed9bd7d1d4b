package io.berth.registry;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.registry.RegistryException.Kind;
import io.berth.registry.RegistryHttp.Exchange;

/**
 * A Docker Registry HTTP API v2 / OCI Distribution client. It knows nothing of tenants or storage:
 * it takes a reference and credentials and answers facts or a {@link RegistryException}.
 *
 * <p>Authentication follows the registry's answer: the real request goes first; a 401's
 * challenge (Bearer preferred, else Basic) says how to authenticate. Bearer tokens are cached per
 * (host, credentials) with their scopes merged, so a warm repository costs one request and a new
 * repository on a warm host two (token, then the request), never a 401 round trip. A token lives
 * at least 60 s whatever the token service says (the token spec's floor, as docker,
 * containers/image and regclient apply it) and is renewed when a tenth of its life is left.
 *
 * <p>Nothing a registry says is used unchecked: every digest must follow the OCI digest grammar
 * (an empty or malformed {@code Docker-Content-Digest} counts as missing, and the manifest bytes
 * are fetched and hashed instead), and fetched manifests and blobs must hash to the digest they
 * were announced or asked for by, else {@link RegistryException.Kind#INVALID_RESPONSE}.
 *
 * <p>Redirects are followed here, not by the HTTP client: a connection's credentials and tokens
 * go only to the registry they belong to. A redirect target that challenges (a registry fronting
 * another) is answered for that target only, anonymously, with a token cached for that target;
 * when it refuses, the error names the redirect and the refusing host
 * ({@link RegistryException.Kind#DENIED}).
 */
@ApplicationScoped
public class RegistryClient {

    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** All four, or the reference registry answers 404 for OCI content or substitutes one platform. */
    static final String ACCEPT = String.join(", ", OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST);

    static final long MAX_MANIFEST_BYTES = 4L << 20;
    static final long MAX_CONFIG_BYTES = 8L << 20;
    static final long MAX_TOKEN_BYTES = 64L << 10;
    static final long MAX_TAGS_PAGE_BYTES = 4L << 20;
    /**
     * Shortest token lifetime Berth accepts: the token spec ("expires_in ... minimum of 60 seconds")
     * makes 60 s the floor, and docker, containers/image and regclient raise shorter lifetimes to it.
     */
    static final long MIN_TOKEN_SECONDS = 60;
    /** A token is renewed when this fraction of its lifetime is left (6 s of 60 s, 30 s of 5 min). */
    private static final long RENEWAL_MARGIN_DIVISOR = 10;
    /** A merged token carries at most this many repository scopes (older ones drop out). */
    private static final int MAX_MERGED_SCOPES = 20;
    private static final int MAX_REDIRECTS = 3;
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;[^,]*rel=\"?next\"?");
    private static final Pattern SIGNATURE_TAG = Pattern.compile("sha256-[0-9a-f]{64}(\\..*)?");
    private static final Pattern SHA512 = Pattern.compile("sha512:[a-f0-9]{128}");

    private final RegistryHttp http;
    private final RegistryConfig config;
    private final ObjectMapper mapper;
    private final Map<String, AuthState> authStates = new ConcurrentHashMap<>();

    public RegistryClient(RegistryConfig config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
        this.http = new RegistryHttp(config);
    }

    /**
     * Whether the manifest exists, and its digest: one HEAD (free on Docker Hub) when the token is
     * warm; one GET more when the registry sends no usable {@code Docker-Content-Digest} (absent,
     * empty or not a sha256/sha512 digest), whose bytes are then hashed.
     */
    public ManifestInfo head(ImageReference ref, RegistryAuth auth) {
        Exchange answer = authorized("HEAD", manifestUri(ref, ref.reference(), auth), ref, auth, Map.of("Accept", ACCEPT), 0);
        expectFound(answer, ref, "manifest");
        String digest = usableDigest(answer.header("Docker-Content-Digest"));
        String mediaType = mediaType(answer);
        if (digest == null) { // some registries omit or garble it: hash exactly the bytes they serve
            Manifest manifest = getManifest(ref, ref.reference(), auth);
            return new ManifestInfo(manifest.digest(), manifest.mediaType());
        }
        return new ManifestInfo(digest, mediaType);
    }

    /** Digest, platforms and image-config facts (exposed ports, created, labels) of a tag or digest. */
    public ImageDetails inspect(ImageReference ref, RegistryAuth auth) {
        Manifest top = getManifest(ref, ref.reference(), auth);
        List<ImageDetails.Platform> platforms = new ArrayList<>();
        Manifest image = top;
        if (top.isIndex()) {
            String chosen = null;
            for (JsonNode entry : top.json().path("manifests")) {
                JsonNode p = entry.path("platform");
                String os = p.path("os").asText("");
                String arch = p.path("architecture").asText("");
                if (os.isEmpty() || "unknown".equals(os)) {
                    continue; // attestation manifests, not runnable platforms
                }
                platforms.add(new ImageDetails.Platform(os, arch, emptyToNull(p.path("variant").asText(""))));
                if (chosen == null || ("linux".equals(os) && "amd64".equals(arch))) {
                    chosen = entry.path("digest").asText(null);
                }
            }
            if (chosen == null) {
                return new ImageDetails(top.digest(), top.mediaType(), platforms, List.of(), null, Map.of());
            }
            image = getManifest(ref, registryDigest(chosen, ref, "an index entry"), auth);
        }
        String configDigest = image.json().path("config").path("digest").asText(null);
        if (configDigest == null) {
            throw new RegistryException(Kind.INVALID_RESPONSE, "The manifest of " + ref + " names no config.");
        }
        JsonNode imageConfig = json(getBlob(ref, registryDigest(configDigest, ref, "the config"), auth, MAX_CONFIG_BYTES), ref);
        if (!top.isIndex()) {
            platforms.add(new ImageDetails.Platform(imageConfig.path("os").asText("unknown"),
                    imageConfig.path("architecture").asText("unknown"), emptyToNull(imageConfig.path("variant").asText(""))));
        }
        JsonNode inner = imageConfig.path("config");
        List<String> ports = new ArrayList<>();
        inner.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        ports.sort(RegistryClient::comparePorts);
        Map<String, String> labels = new TreeMap<>();
        inner.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return new ImageDetails(top.digest(), top.mediaType(), List.copyOf(platforms), List.copyOf(ports),
                parseTime(imageConfig.path("created").asText(null)), Map.copyOf(labels));
    }

    /** What a tag listing read: how many tags, and those the caller kept. */
    public record TagListing(int total, List<String> kept) {
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
        Set<String> kept = new LinkedHashSet<>();
        int total = 0;
        int pages = 0;
        URI next = base(repository, auth).resolve("/v2/" + repository.repository() + "/tags/list?n=" + config.tagsPageSize());
        Set<URI> seen = new LinkedHashSet<>(); // at most max-tag-pages links
        while (next != null) {
            if (!seen.add(next)) {
                break; // a registry sending the same page link again would loop forever
            }
            if (++pages > config.maxTagPages()) {
                throw new RegistryException(Kind.TOO_MANY_TAGS, repository.familiarName() + " lists its tags on more than "
                        + config.maxTagPages() + " pages (berth.registry.max-tag-pages), " + total + " tags so far.");
            }
            Exchange answer = authorized("GET", next, repository, auth, Map.of("Accept", "application/json"),
                    MAX_TAGS_PAGE_BYTES);
            expectFound(answer, repository, "repository");
            for (JsonNode tag : json(answer.body(), repository).path("tags")) {
                String value = tag.asText("");
                if (isListableTag(value)) {
                    total++;
                    if (keep.test(value)) {
                        kept.add(value);
                    }
                }
            }
            if (kept.size() > config.maxTags()) {
                throw new RegistryException(Kind.TOO_MANY_TAGS, kept.size() == total
                        ? repository.familiarName() + " has more than " + config.maxTags() + " tags."
                        : "More than " + config.maxTags() + " tags of " + repository.familiarName() + " match.");
            }
            next = nextPage(answer);
        }
        return new TagListing(total, List.copyOf(kept));
    }

    /**
     * The registry handshake of a connection test: {@code GET /v2/} and, when the registry asks
     * for it, authentication with the given credentials.
     */
    public void ping(String registry, RegistryAuth auth) {
        ImageReference root = new ImageReference(ImageReference.normalizeHost(registry), "", null, null);
        Exchange answer = authorized("GET", base(root, auth).resolve("/v2/"), root, auth, Map.of(), 64 << 10);
        if (answer.status() == 429) {
            throw rateLimited(answer);
        }
        if (answer.status() == 403) {
            throw new RegistryException(Kind.DENIED, "The registry refused access (HTTP 403).");
        }
        if (answer.status() != 200) {
            throw new RegistryException(Kind.INVALID_RESPONSE, registry + " does not answer as a registry (HTTP "
                    + answer.status() + " on /v2/).");
        }
    }

    /** Anonymous access to an image's registry: HTTPS, or plain HTTP for berth.registry.insecure-hosts. */
    public RegistryAuth anonymous(ImageReference ref) {
        List<String> insecure = config.insecureHosts().orElse(List.of());
        String host = ref.registry();
        int colon = host.lastIndexOf(':');
        boolean plain = insecure.contains(host) || (colon > 0 && insecure.contains(host.substring(0, colon)));
        return plain ? new RegistryAuth(null, null, true) : RegistryAuth.ANONYMOUS;
    }

    /** Whether the repository exists at all (to tell an unknown repository from an unknown tag). */
    public boolean repositoryExists(ImageReference repository, RegistryAuth auth) {
        URI uri = base(repository, auth).resolve("/v2/" + repository.repository() + "/tags/list?n=1");
        try {
            Exchange answer = authorized("GET", uri, repository, auth, Map.of("Accept", "application/json"), MAX_TAGS_PAGE_BYTES);
            return answer.status() >= 200 && answer.status() < 300;
        } catch (RegistryException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** Refuses a registry host (host[:port]) the internal-address policy does not allow. */
    public void checkTarget(String registry) {
        String host = ImageReference.parseName(ImageReference.normalizeHost(registry) + "/x").apiHost();
        int colon = host.lastIndexOf(':');
        http.checkHost(colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host);
    }

    /** Requests sent to a host so far (for benchmarks and tests). */
    public long requestCount(String hostAndPort) {
        return http.requestCount(hostAndPort);
    }

    /** Docker Hub-style rate-limit headers last seen from a host, or null. */
    public RegistryRateLimit rateLimit(String hostAndPort) {
        return http.rateLimit(hostAndPort);
    }

    // ---------------------------------------------------------------------------------------
    // Authentication

    /** Token (or Basic) state for one (registry host, credentials). */
    private static final class AuthState {
        final Challenge challenge;
        String token;
        /** When the token is renewed: a tenth of its lifetime before it expires. */
        Instant renewAt = Instant.EPOCH;
        final Set<String> scopes = new LinkedHashSet<>();

        AuthState(Challenge challenge) {
            this.challenge = challenge;
        }

        synchronized String tokenCovering(String scope) {
            boolean fresh = token != null && Instant.now().isBefore(renewAt);
            return fresh && (scope == null || scopes.contains(scope)) ? token : null;
        }
    }

    private Exchange authorized(String method, URI uri, ImageReference ref, RegistryAuth auth,
            Map<String, String> headers, long maxBytes) {
        String scope = ref.repository().isEmpty() ? null : "repository:" + ref.repository() + ":pull";
        String key = ref.apiHost() + "|" + credentialKey(auth);
        AuthState state = authStates.get(key);
        boolean freshToken = false;
        String authorization = null;
        if (state != null && state.challenge.isBearer()) {
            authorization = state.tokenCovering(scope);
            if (authorization == null) {
                authorization = fetchToken(state, scope, ref.registry(), ref.apiHost(), auth);
                freshToken = true;
            }
            authorization = "Bearer " + authorization;
        } else if (state != null && state.challenge.isBasic() && auth.hasCredentials()) {
            authorization = basic(auth);
        }
        Exchange answer = follow(method, uri, headers, authorization, maxBytes, scope);
        if (answer.status() != 401) {
            return answer;
        }
        Challenge challenge = Challenge.preferred(answer.headerValues("WWW-Authenticate")).orElseThrow(
                () -> new RegistryException(Kind.CREDENTIALS_REJECTED, ref.registry() + " refused the request (HTTP 401) "
                        + "without a challenge Berth understands."));
        boolean insufficientScope = "insufficient_scope".equals(challenge.param("error"));
        if (freshToken && !insufficientScope) {
            throw rejected(ref, auth);
        }
        if (challenge.isBasic()) {
            if (!auth.hasCredentials()) {
                throw new RegistryException(Kind.CREDENTIALS_REJECTED, ref.registry() + " requires credentials.");
            }
            if (authorization != null) {
                throw rejected(ref, auth);
            }
            authStates.put(key, new AuthState(challenge));
            answer = follow(method, uri, headers, basic(auth), maxBytes, scope);
        } else {
            AuthState fresh = new AuthState(challenge);
            if (state != null && state.challenge.isBearer()) {
                synchronized (state) {
                    fresh.scopes.addAll(state.scopes);
                }
            }
            String needed = challenge.param("scope") != null ? challenge.param("scope") : scope;
            String token = fetchToken(fresh, needed, ref.registry(), ref.apiHost(), auth);
            authStates.put(key, fresh);
            answer = follow(method, uri, headers, "Bearer " + token, maxBytes, scope);
        }
        if (answer.status() == 401) {
            throw rejected(ref, auth);
        }
        return answer;
    }

    private static RegistryException rejected(ImageReference ref, RegistryAuth auth) {
        if (!auth.hasCredentials() && !ref.repository().isEmpty()) {
            // Docker Hub answers 401, not 404, for a repository that does not exist
            return new RegistryException(Kind.NOT_FOUND, ref.familiarName() + " was not found, or it is private and "
                    + "needs credentials.");
        }
        return new RegistryException(Kind.CREDENTIALS_REJECTED, ref.registry() + " rejected the credentials"
                + (ref.repository().isEmpty() ? "." : " for " + ref.familiarName() + " (or the repository does not exist)."));
    }

    /**
     * Fetches a token for the state's merged scopes plus {@code scope}, and stores it in the state.
     *
     * @param registry the registry's name for messages
     * @param apiHost  the host[:port] the challenge came from (a realm there is as trusted as it)
     */
    private String fetchToken(AuthState state, String scope, String registry, String apiHost, RegistryAuth auth) {
        String realm = state.challenge.param("realm");
        if (realm == null) {
            throw new RegistryException(Kind.INVALID_RESPONSE, registry + " sent a Bearer challenge without a realm.");
        }
        URI realmUri;
        try {
            realmUri = URI.create(realm);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(Kind.INVALID_RESPONSE, "The token realm \"" + realm + "\" is not a URL.");
        }
        checkRealm(realmUri, apiHost, auth);
        Set<String> scopes;
        synchronized (state) {
            scopes = new LinkedHashSet<>(state.scopes);
        }
        if (scope != null) {
            scopes.remove(scope);
            scopes.add(scope);
        }
        while (scopes.size() > MAX_MERGED_SCOPES) {
            scopes.remove(scopes.iterator().next());
        }
        StringBuilder query = new StringBuilder();
        if (state.challenge.param("service") != null) {
            query.append("service=").append(encode(state.challenge.param("service")));
        }
        for (String s : scopes) {
            query.append(query.isEmpty() ? "" : "&").append("scope=").append(encode(s));
        }
        URI tokenUri = URI.create(realm + (query.isEmpty() ? "" : (realm.contains("?") ? "&" : "?") + query));
        Map<String, String> headers = auth.hasCredentials() ? Map.of("Authorization", basic(auth)) : Map.of();
        Exchange answer = http.send("GET", tokenUri, headers, MAX_TOKEN_BYTES);
        if (answer.status() == 401 || answer.status() == 403) {
            throw new RegistryException(Kind.CREDENTIALS_REJECTED, "The token service of " + registry
                    + " rejected the credentials (HTTP " + answer.status() + ").");
        }
        if (answer.status() == 429) {
            throw rateLimited(answer);
        }
        if (answer.status() != 200) {
            throw new RegistryException(Kind.UNAVAILABLE, "The token service of " + registry + " answered HTTP "
                    + answer.status() + ".");
        }
        JsonNode body = json(answer.body(), registry);
        String token = body.hasNonNull("token") ? body.get("token").asText() : body.path("access_token").asText(null);
        if (token == null || token.isEmpty()) {
            throw new RegistryException(Kind.INVALID_RESPONSE, "The token service of " + registry + " sent no token.");
        }
        // absent, zero, negative or shorter than the spec's floor: 60 s
        long lifetime = Math.max(MIN_TOKEN_SECONDS, body.path("expires_in").asLong(MIN_TOKEN_SECONDS));
        Instant issuedAt = parseInstant(body.path("issued_at").asText(null));
        synchronized (state) {
            state.token = token;
            state.renewAt = issuedAt.plusSeconds(lifetime - lifetime / RENEWAL_MARGIN_DIVISOR);
            state.scopes.clear();
            state.scopes.addAll(scopes);
        }
        return token;
    }

    /** Credentials go only to the registry itself or a realm we may talk to, never in clear text. */
    private void checkRealm(URI realm, String apiHost, RegistryAuth auth) {
        String scheme = realm.getScheme() == null ? "" : realm.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && auth.insecure())) {
            throw new RegistryException(Kind.REFUSED_TARGET, "The token realm " + realm
                    + " is not HTTPS; plain HTTP is allowed only for connections marked insecure.");
        }
        if (realm.getHost() == null) {
            throw new RegistryException(Kind.INVALID_RESPONSE, "The token realm " + realm + " has no host.");
        }
        // RegistryHttp checks every host against the private-address policy; a realm on the
        // registry's own host is as trusted as the registry.
        if (!hostAndPort(realm).equals(apiHost) && !realm.getHost().equalsIgnoreCase(hostOnly(apiHost))) {
            http.checkHost(realm.getHost());
        }
    }

    private static String basic(RegistryAuth auth) {
        return "Basic " + Base64.getEncoder().encodeToString(
                (auth.username() + ":" + auth.secret()).getBytes(StandardCharsets.UTF_8));
    }

    /** Identifies credentials in cache keys without keeping them readable there. */
    private static String credentialKey(RegistryAuth auth) {
        if (!auth.hasCredentials()) {
            return "anonymous";
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest((auth.username() + "\0" + auth.secret())
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Requests

    /**
     * Sends, following redirects itself: {@code authorization} goes only to the origin of
     * {@code uri}. Another origin that answers 401 gets its own anonymous token (see
     * {@link #answerTargetChallenge}); a 401 of the first origin is returned to the caller.
     */
    private Exchange follow(String method, URI uri, Map<String, String> headers, String authorization, long maxBytes,
            String scope) {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            boolean home = sameOrigin(uri, current);
            if (home && authorization != null) {
                all.put("Authorization", authorization);
            } else if (!home) {
                AuthState target = authStates.get(targetKey(current));
                String targetToken = target == null ? null : target.tokenCovering(scope);
                if (targetToken != null) {
                    all.put("Authorization", "Bearer " + targetToken);
                }
            }
            Exchange answer = http.send(method, current, all, maxBytes);
            if (!home && answer.status() == 401) {
                answer = answerTargetChallenge(method, uri, current, headers, maxBytes, scope, answer);
            }
            int status = answer.status();
            if (status < 300 || status > 308 || status == 304 || answer.header("Location") == null) {
                return answer;
            }
            if (hop >= MAX_REDIRECTS) {
                throw new RegistryException(Kind.INVALID_RESPONSE, "Too many redirects from " + hostAndPort(uri) + ".");
            }
            URI target = current.resolve(answer.header("Location"));
            if ("http".equalsIgnoreCase(target.getScheme()) && "https".equalsIgnoreCase(current.getScheme())) {
                throw new RegistryException(Kind.REFUSED_TARGET, "Refusing a redirect from HTTPS to plain HTTP.");
            }
            current = target;
        }
    }

    /** Token state for a redirect target: always anonymous, keyed apart from any connection's. */
    private static String targetKey(URI target) {
        return target.getScheme().toLowerCase(Locale.ROOT) + "://" + hostAndPort(target) + "|redirect-target";
    }

    /**
     * A redirect target answered 401: answer its Bearer challenge for it alone, anonymously (the
     * connection's credentials belong to the registry that redirected), and send the request once
     * more (also when a cached token was refused: it may have been revoked). Costs one token
     * request and one request when the target grants access; DENIED naming the redirect and the
     * target when it does not, its token service refuses, or it asks for Basic credentials.
     */
    private Exchange answerTargetChallenge(String method, URI origin, URI target, Map<String, String> headers, long maxBytes,
            String scope, Exchange refused) {
        Challenge challenge = Challenge.preferred(refused.headerValues("WWW-Authenticate")).orElse(null);
        if (challenge == null || !challenge.isBearer()) {
            throw refusedRedirect(origin, target);
        }
        String key = targetKey(target);
        AuthState previous = authStates.get(key);
        AuthState fresh = new AuthState(challenge);
        if (previous != null && previous.challenge.isBearer()) {
            synchronized (previous) {
                fresh.scopes.addAll(previous.scopes);
            }
        }
        RegistryAuth anonymous = new RegistryAuth(null, null, "http".equalsIgnoreCase(target.getScheme()));
        String token;
        try {
            token = fetchToken(fresh, challenge.param("scope") != null ? challenge.param("scope") : scope,
                    hostAndPort(target), hostAndPort(target), anonymous);
        } catch (RegistryException e) {
            if (e.kind() == Kind.CREDENTIALS_REJECTED) {
                throw refusedRedirect(origin, target);
            }
            throw e;
        }
        authStates.put(key, fresh);
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Authorization", "Bearer " + token);
        Exchange answer = http.send(method, target, all, maxBytes);
        if (answer.status() == 401) {
            throw refusedRedirect(origin, target);
        }
        return answer;
    }

    private static RegistryException refusedRedirect(URI origin, URI target) {
        return new RegistryException(Kind.DENIED, hostAndPort(origin) + " redirected the request to " + hostAndPort(target)
                + ", which refused it (HTTP 401) to an anonymous request; Berth sends a connection's credentials only to "
                + "its own registry.");
    }

    private record Manifest(String digest, String mediaType, byte[] bytes, JsonNode json) {
        boolean isIndex() {
            return OCI_INDEX.equals(mediaType) || DOCKER_LIST.equals(mediaType) || json.has("manifests");
        }
    }

    private Manifest getManifest(ImageReference ref, String reference, RegistryAuth auth) {
        Exchange answer = authorized("GET", manifestUri(ref, reference, auth), ref, auth, Map.of("Accept", ACCEPT),
                MAX_MANIFEST_BYTES);
        expectFound(answer, ref, "manifest");
        byte[] bytes = answer.body();
        if (reference.contains(":")) { // asked for by digest: the bytes must be what was asked for
            String served = digestOf(bytes, reference);
            if (!reference.equals(served)) {
                throw new RegistryException(Kind.INVALID_RESPONSE, "The manifest served for " + reference + " has digest "
                        + served + ".");
            }
        }
        String announced = usableDigest(answer.header("Docker-Content-Digest"));
        String digest = announced != null ? announced : sha256(bytes);
        if (announced != null && !announced.equals(digestOf(bytes, announced))) {
            throw new RegistryException(Kind.INVALID_RESPONSE, "The manifest of " + ref.familiarName() + ":" + reference
                    + " was announced as " + announced + " but its bytes have digest " + digestOf(bytes, announced) + ".");
        }
        JsonNode json = json(bytes, ref);
        String mediaType = mediaType(answer);
        if (mediaType == null || mediaType.isEmpty() || mediaType.startsWith("application/json")) {
            mediaType = json.path("mediaType").asText("");
        }
        if (mediaType.startsWith("application/vnd.docker.distribution.manifest.v1")) {
            throw new RegistryException(Kind.INVALID_RESPONSE, ref + " is a Docker schema 1 image, which is not supported.");
        }
        return new Manifest(digest, mediaType, bytes, json);
    }

    private byte[] getBlob(ImageReference ref, String digest, RegistryAuth auth, long maxBytes) {
        URI uri = base(ref, auth).resolve("/v2/" + ref.repository() + "/blobs/" + digest);
        Exchange answer = authorized("GET", uri, ref, auth, Map.of(), maxBytes);
        expectFound(answer, ref, "blob " + digest);
        if (!digest.equals(digestOf(answer.body(), digest))) {
            throw new RegistryException(Kind.INVALID_RESPONSE, "The blob served for " + digest + " does not match it.");
        }
        return answer.body();
    }

    private void expectFound(Exchange answer, ImageReference ref, String what) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return;
        }
        if (status == 404) {
            throw new RegistryException(Kind.NOT_FOUND, what.equals("manifest")
                    ? ref.familiarName() + ":" + ref.reference() + " was not found in " + ref.registry() + "."
                    : ref.familiarName() + " (" + what + ") was not found in " + ref.registry() + ".");
        }
        if (status == 403) {
            throw new RegistryException(Kind.DENIED, "Access to " + ref.familiarName() + " was denied (HTTP 403).");
        }
        if (status == 429) {
            throw rateLimited(answer);
        }
        throw new RegistryException(Kind.INVALID_RESPONSE, ref.registry() + " answered HTTP " + status + " for "
                + ref.familiarName() + ".");
    }

    private static RegistryException rateLimited(Exchange answer) {
        long retryAfter = RegistryHttp.retryAfterSeconds(answer.header("Retry-After"));
        return new RegistryException(Kind.RATE_LIMITED, hostAndPort(answer.uri()) + " is rate-limiting requests.",
                retryAfter > 0 ? retryAfter : 60, null);
    }

    private URI manifestUri(ImageReference ref, String reference, RegistryAuth auth) {
        return base(ref, auth).resolve("/v2/" + ref.repository() + "/manifests/" + reference);
    }

    private static URI base(ImageReference ref, RegistryAuth auth) {
        return URI.create((auth.insecure() ? "http://" : "https://") + ref.apiHost() + "/");
    }

    private URI nextPage(Exchange answer) {
        for (String link : answer.headerValues("Link")) {
            Matcher m = NEXT_LINK.matcher(link);
            if (m.find()) {
                URI next = answer.uri().resolve(m.group(1));
                if (!hostAndPort(next).equals(hostAndPort(answer.uri()))
                        || !next.getScheme().equalsIgnoreCase(answer.uri().getScheme())) {
                    throw new RegistryException(Kind.REFUSED_TARGET, "The next page of tags is on another host ("
                            + next.getScheme() + "://" + hostAndPort(next) + ", not " + hostAndPort(answer.uri()) + ").");
                }
                return next;
            }
        }
        return null;
    }

    static boolean isListableTag(String tag) {
        if (tag.isEmpty() || SIGNATURE_TAG.matcher(tag).matches()) {
            return false; // empty, or a cosign signature/attestation stored as a tag
        }
        try {
            ImageReference.validTag(tag);
            return true;
        } catch (ImageReference.InvalidReferenceException e) {
            return false;
        }
    }

    private JsonNode json(byte[] body, ImageReference ref) {
        return json(body, ref.registry());
    }

    private JsonNode json(byte[] body, String registry) {
        try {
            return mapper.readTree(body);
        } catch (java.io.IOException e) {
            throw new RegistryException(Kind.INVALID_RESPONSE, registry + " sent malformed JSON.");
        }
    }

    /**
     * A digest from a registry that Berth can use and verify: the OCI digest grammar with
     * algorithm sha256 (64 lower-case hex digits) or sha512 (128); null for anything else, which
     * then counts as missing.
     */
    static String usableDigest(String digest) {
        if (digest == null || !(digest.startsWith("sha256:") || SHA512.matcher(digest).matches())) {
            return null;
        }
        try {
            return ImageReference.validDigest(digest);
        } catch (ImageReference.InvalidReferenceException e) {
            return null;
        }
    }

    /** A digest named inside a manifest (index entry, config): usable, else INVALID_RESPONSE. */
    private static String registryDigest(String digest, ImageReference ref, String what) {
        String usable = usableDigest(digest);
        if (usable == null) {
            throw new RegistryException(Kind.INVALID_RESPONSE, "The manifest of " + ref.familiarName() + " names "
                    + what + " by \"" + digest + "\", which is not a sha256 or sha512 digest.");
        }
        return usable;
    }

    /** The bytes' digest in the algorithm of {@code like} (sha512 for sha512:..., else sha256). */
    static String digestOf(byte[] bytes, String like) {
        boolean sha512 = like.startsWith("sha512:");
        try {
            MessageDigest digest = MessageDigest.getInstance(sha512 ? "SHA-512" : "SHA-256");
            return (sha512 ? "sha512:" : "sha256:") + HexFormat.of().formatHex(digest.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 and SHA-512 are part of every JVM", e);
        }
    }

    private static String mediaType(Exchange answer) {
        String type = answer.header("Content-Type");
        return type == null ? null : type.split(";")[0].trim();
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return hostAndPort(a).equalsIgnoreCase(hostAndPort(b)) && a.getScheme().equalsIgnoreCase(b.getScheme());
    }

    private static String hostAndPort(URI uri) {
        return uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
    }

    private static String hostOnly(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return colon > 0 && !hostAndPort.endsWith("]") ? hostAndPort.substring(0, colon) : hostAndPort;
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static Instant parseInstant(String text) {
        if (text == null) {
            return Instant.now();
        }
        try {
            Instant issued = OffsetDateTime.parse(text).toInstant();
            // A token service with a skewed clock must not make tokens look expired (or eternal).
            return issued.isAfter(Instant.now().plusSeconds(60)) || issued.isBefore(Instant.now().minusSeconds(3600))
                    ? Instant.now() : issued;
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }

    private static OffsetDateTime parseTime(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** 80/tcp before 443/tcp before 53/udp: by number, then protocol. */
    private static int comparePorts(String a, String b) {
        int pa = portNumber(a);
        int pb = portNumber(b);
        return pa != pb ? Integer.compare(pa, pb) : a.compareTo(b);
    }

    private static int portNumber(String port) {
        try {
            return Integer.parseInt(port.split("/")[0]);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
