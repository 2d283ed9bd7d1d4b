package io.berth.registry;

/** A manifest exists: its digest (from Docker-Content-Digest, else hashed) and media type. */
public record ManifestInfo(String digest, String mediaType) {
}
