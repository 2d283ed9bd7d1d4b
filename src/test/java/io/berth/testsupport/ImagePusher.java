package io.berth.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pushes images to a test registry through the registry API itself (blob uploads and manifest
 * PUTs), as docker push or skopeo copy would: OCI and Docker schema-2 manifests, configs with
 * exposed ports, and multi-platform indexes.
 */
public final class ImagePusher {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    private final RegistryServer registry;
    private final TokenServer tokens;
    private final HttpClient http = HttpClient.newHttpClient();

    public ImagePusher(RegistryServer registry, TokenServer tokens) {
        this.registry = registry;
        this.tokens = tokens;
    }

    /** One platform's image: its config facts. */
    public record Image(String os, String architecture, List<String> exposedPorts, Map<String, String> labels,
            String created) {
        public static Image linux(String... ports) {
            return new Image("linux", "amd64", List.of(ports), Map.of(), "2026-01-02T03:04:05Z");
        }
    }

    /** Pushes a single-platform image; answers the manifest digest. */
    public String push(String repository, String tag, Image image, String manifestType) {
        return putManifest(repository, tag, manifest(repository, image, manifestType), manifestType);
    }

    /** Pushes a two-or-more-platform image under one index; answers the index digest. */
    public String pushIndex(String repository, String tag, String indexType, Image... images) {
        String childType = indexType.equals(OCI_INDEX) ? OCI_MANIFEST : DOCKER_MANIFEST;
        List<String> entries = new ArrayList<>();
        for (Image image : images) {
            byte[] manifest = manifest(repository, image, childType);
            String digest = putManifest(repository, digest(manifest), manifest, childType);
            entries.add("""
                    {"mediaType":"%s","digest":"%s","size":%d,"platform":{"architecture":"%s","os":"%s"}}"""
                    .formatted(childType, digest, manifest.length, image.architecture(), image.os()));
        }
        byte[] index = """
                {"schemaVersion":2,"mediaType":"%s","manifests":[%s]}""".formatted(indexType, String.join(",", entries))
                .getBytes(StandardCharsets.UTF_8);
        return putManifest(repository, tag, index, indexType);
    }

    /** Tags an existing manifest (by digest) again, as {@code crane tag} does. */
    public String tag(String repository, String digest, String newTag) {
        HttpResponse<byte[]> existing = send(HttpRequest.newBuilder(registry.url("/v2/" + repository + "/manifests/" + digest))
                .header("Accept", String.join(",", OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST)).GET(),
                repository, "pull", 200);
        String type = existing.headers().firstValue("Content-Type").orElseThrow();
        return putManifest(repository, newTag, existing.body(), type);
    }

    /**
     * Tags an existing manifest under many tags with {@code threads} concurrent PUTs (the manifest
     * is read once), for repositories with tens of thousands of tags.
     */
    public void tagAll(String repository, String digest, List<String> tags, int threads) {
        HttpResponse<byte[]> existing = send(HttpRequest.newBuilder(registry.url("/v2/" + repository + "/manifests/" + digest))
                .header("Accept", String.join(",", OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST)).GET(),
                repository, "pull", 200);
        String type = existing.headers().firstValue("Content-Type").orElseThrow();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<String>> done = new ArrayList<>();
            for (String tag : tags) {
                done.add(pool.submit(() -> putManifest(repository, tag, existing.body(), type)));
            }
            for (var future : done) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private byte[] manifest(String repository, Image image, String manifestType) {
        byte[] layer = new byte[64];
        ThreadLocalRandom.current().nextBytes(layer);
        String layerDigest = putBlob(repository, layer);
        StringBuilder ports = new StringBuilder();
        for (String port : image.exposedPorts()) {
            ports.append(ports.isEmpty() ? "" : ",").append('"').append(port).append("\":{}");
        }
        StringBuilder labels = new StringBuilder();
        image.labels().forEach((k, v) -> labels.append(labels.isEmpty() ? "" : ",").append('"').append(k)
                .append("\":\"").append(v).append('"'));
        byte[] config = """
                {"architecture":"%s","os":"%s","created":"%s","config":{"ExposedPorts":{%s},"Labels":{%s}},\
                "rootfs":{"type":"layers","diff_ids":["%s"]}}""".formatted(image.architecture(), image.os(),
                image.created(), ports, labels, layerDigest).getBytes(StandardCharsets.UTF_8);
        String configDigest = putBlob(repository, config);
        boolean oci = manifestType.equals(OCI_MANIFEST);
        String configType = oci ? "application/vnd.oci.image.config.v1+json" : "application/vnd.docker.container.image.v1+json";
        String layerType = oci ? "application/vnd.oci.image.layer.v1.tar+gzip" : "application/vnd.docker.image.rootfs.diff.tar.gzip";
        return """
                {"schemaVersion":2,"mediaType":"%s","config":{"mediaType":"%s","digest":"%s","size":%d},\
                "layers":[{"mediaType":"%s","digest":"%s","size":%d}]}""".formatted(manifestType, configType,
                configDigest, config.length, layerType, layerDigest, layer.length).getBytes(StandardCharsets.UTF_8);
    }

    private String putBlob(String repository, byte[] bytes) {
        String digest = digest(bytes);
        HttpResponse<byte[]> started = send(HttpRequest.newBuilder(registry.url("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()), repository, "pull,push", 202);
        URI location = registry.url("/").resolve(started.headers().firstValue("Location").orElseThrow());
        String separator = location.getRawQuery() == null ? "?" : "&";
        send(HttpRequest.newBuilder(URI.create(location + separator + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)), repository, "pull,push", 201);
        return digest;
    }

    private String putManifest(String repository, String reference, byte[] manifest, String type) {
        send(HttpRequest.newBuilder(registry.url("/v2/" + repository + "/manifests/" + reference))
                .header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)),
                repository, "pull,push", 201);
        return digest(manifest);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request, String repository, String actions, int expected) {
        switch (registry.mode()) {
            case BASIC -> request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (TokenServer.USER + ":" + TokenServer.PASSWORD).getBytes(StandardCharsets.UTF_8)));
            case TOKEN -> request.header("Authorization", "Bearer "
                    + tokens.mint(TokenServer.USER, List.of("repository:" + repository + ":" + actions)));
            default -> {
            }
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != expected) {
                throw new IllegalStateException("Push step answered " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
            return response;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String digest(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
