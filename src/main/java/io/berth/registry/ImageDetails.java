package io.berth.registry;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * What a registry says about one image reference: the digest to pin (the index digest for a
 * multi-platform image), the platforms it offers, and facts from the image config.
 */
public record ImageDetails(
        String digest,
        String mediaType,
        List<Platform> platforms,
        List<String> exposedPorts,
        OffsetDateTime created,
        Map<String, String> labels) {

    /** os/architecture[/variant], as in an image index. */
    public record Platform(String os, String architecture, String variant) {
        @Override
        public String toString() {
            return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
        }
    }
}
