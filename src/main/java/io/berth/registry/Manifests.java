package io.berth.registry;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.registry.RegistryException.Kind;

/**
 * Manifests and image configs of one registry (OCI distribution-spec "Pulling manifests" and
 * "Pulling blobs"; Docker Registry HTTP API v2). Nothing a registry says is used unchecked: every
 * digest must follow the OCI digest grammar (an empty or malformed {@code Docker-Content-Digest}
 * counts as missing, and the manifest bytes are fetched and hashed instead), and fetched manifests
 * and blobs must hash to the digest they were announced or asked for by, else INVALID_RESPONSE.
 *
 * <p>Details are kept by digest ({@code berth.registry.details-cache-size} entries): a digest
 * names immutable content (OCI image-spec "Digests"), so once read they never change, and
 * inspecting an unchanged tag again costs the one HEAD that says which digest it names now.
 */
final class Manifests {

    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** All four, or the reference registry answers 404 for OCI content or substitutes one platform. */
    static final String ACCEPT = String.join(", ", OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST);

    static final long MAX_MANIFEST_BYTES = 4L << 20;
    static final long MAX_CONFIG_BYTES = 8L << 20;

    private final Authenticator registry;
    private final ObjectMapper mapper;
    private final Cache<String, ImageDetails> details;

    Manifests(Authenticator registry, ObjectMapper mapper, int detailsCacheSize) {
        this.registry = registry;
        this.mapper = mapper;
        this.details = Caffeine.newBuilder().maximumSize(detailsCacheSize).build();
    }

    /** See {@link RegistryClient#head}. */
    ManifestInfo head(ImageReference ref, RegistryAuth auth) {
        Exchange answer = registry.send("HEAD", uri(ref, ref.reference(), auth), ref, auth, Map.of("Accept", ACCEPT), 0);
        answer.expectFound(ref, "manifest");
        String digest = Digests.usable(answer.header("Docker-Content-Digest"));
        if (digest == null) { // some registries omit or garble it: hash exactly the bytes they serve
            Manifest manifest = get(ref, ref.reference(), auth);
            return new ManifestInfo(manifest.digest(), manifest.mediaType());
        }
        return new ManifestInfo(digest, answer.mediaType());
    }

    /**
     * See {@link RegistryClient#inspect}. The HEAD comes first, with the caller's credentials, so a
     * kept entry is only answered to a caller the registry let see that digest in this repository.
     */
    ImageDetails inspect(ImageReference ref, RegistryAuth auth) {
        ImageDetails known = details.getIfPresent(key(ref, head(ref, auth).digest()));
        if (known != null) {
            return known;
        }
        // read as asked (a tag moved since the HEAD is read as it is now); kept under the digest read
        ImageDetails read = read(ref, auth);
        details.put(key(ref, read.digest()), read);
        return read;
    }

    private static String key(ImageReference ref, String digest) {
        return RegistryHost.of(ref).name() + "@" + digest;
    }

    private ImageDetails read(ImageReference ref, RegistryAuth auth) {
        Manifest top = get(ref, ref.reference(), auth);
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
            image = get(ref, Digests.named(chosen, ref, "an index entry"), auth);
        }
        String configDigest = image.json().path("config").path("digest").asText(null);
        if (configDigest == null) {
            throw new RegistryException(Kind.INVALID_RESPONSE, "The manifest of " + ref + " names no config.");
        }
        JsonNode imageConfig = blob(ref, Digests.named(configDigest, ref, "the config"), auth, MAX_CONFIG_BYTES)
                .json(mapper, ref.registry());
        if (!top.isIndex()) {
            platforms.add(new ImageDetails.Platform(imageConfig.path("os").asText("unknown"),
                    imageConfig.path("architecture").asText("unknown"), emptyToNull(imageConfig.path("variant").asText(""))));
        }
        JsonNode inner = imageConfig.path("config");
        List<String> ports = new ArrayList<>();
        inner.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        ports.sort(Manifests::comparePorts);
        Map<String, String> labels = new TreeMap<>();
        inner.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return new ImageDetails(top.digest(), top.mediaType(), List.copyOf(platforms), List.copyOf(ports),
                parseTime(imageConfig.path("created").asText(null)), Map.copyOf(labels));
    }

    private record Manifest(String digest, String mediaType, JsonNode json) {
        boolean isIndex() {
            return OCI_INDEX.equals(mediaType) || DOCKER_LIST.equals(mediaType) || json.has("manifests");
        }
    }

    /** A manifest by tag or digest, its bytes verified against the digest asked for and the one announced. */
    private Manifest get(ImageReference ref, String reference, RegistryAuth auth) {
        Exchange answer = registry.send("GET", uri(ref, reference, auth), ref, auth, Map.of("Accept", ACCEPT),
                MAX_MANIFEST_BYTES);
        answer.expectFound(ref, "manifest");
        byte[] bytes = answer.body();
        if (reference.contains(":")) { // asked for by digest: the bytes must be what was asked for
            String served = Digests.of(bytes, reference);
            if (!reference.equals(served)) {
                throw new RegistryException(Kind.INVALID_RESPONSE, "The manifest served for " + reference + " has digest "
                        + served + ".");
            }
        }
        String announced = Digests.usable(answer.header("Docker-Content-Digest"));
        String digest = announced != null ? announced : Digests.sha256(bytes);
        if (announced != null && !announced.equals(Digests.of(bytes, announced))) {
            throw new RegistryException(Kind.INVALID_RESPONSE, "The manifest of " + ref.familiarName() + ":" + reference
                    + " was announced as " + announced + " but its bytes have digest " + Digests.of(bytes, announced) + ".");
        }
        JsonNode json = answer.json(mapper, ref.registry());
        String mediaType = answer.mediaType();
        if (mediaType == null || mediaType.isEmpty() || mediaType.startsWith("application/json")) {
            mediaType = json.path("mediaType").asText("");
        }
        if (mediaType.startsWith("application/vnd.docker.distribution.manifest.v1")) {
            throw new RegistryException(Kind.INVALID_RESPONSE, ref + " is a Docker schema 1 image, which is not supported.");
        }
        return new Manifest(digest, mediaType, json);
    }

    /** A blob, its bytes verified against its digest. */
    private Exchange blob(ImageReference ref, String digest, RegistryAuth auth, long maxBytes) {
        URI uri = RegistryHost.of(ref).apiBase(auth.insecure()).resolve("/v2/" + ref.repository() + "/blobs/" + digest);
        Exchange answer = registry.send("GET", uri, ref, auth, Map.of(), maxBytes);
        answer.expectFound(ref, "blob " + digest);
        if (!digest.equals(Digests.of(answer.body(), digest))) {
            throw new RegistryException(Kind.INVALID_RESPONSE, "The blob served for " + digest + " does not match it.");
        }
        return answer;
    }

    private static URI uri(ImageReference ref, String reference, RegistryAuth auth) {
        return RegistryHost.of(ref).apiBase(auth.insecure()).resolve("/v2/" + ref.repository() + "/manifests/" + reference);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
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
