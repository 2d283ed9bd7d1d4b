package io.berth.image;

import java.util.List;

import io.berth.registry.ImageDetails;
import io.berth.registry.RegistryException;

/**
 * What one discovery found: the candidate tag and its facts, or why there is none.
 *
 * @param bestTag  the strategy's candidate among the matching tags; null when none matched or the
 *                 registry failed
 * @param details  digest (index digest for multi-platform images), platforms, ports and creation
 *                 time of {@code bestTag}
 * @param tagCount how many tags the repository has
 * @param matches  the tags the filter matched (auto-update chooses per application among them)
 * @param failure  the registry's failure, or null
 */
public record CheckOutcome(String bestTag, ImageDetails details, int tagCount, List<String> matches,
        RegistryException failure) {

    static CheckOutcome failed(RegistryException failure) {
        return new CheckOutcome(null, null, 0, List.of(), failure);
    }
}
