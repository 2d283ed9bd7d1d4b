package io.berth.registry;

import java.util.List;

/**
 * What a tag listing read ({@link RegistryClient#tags(ImageReference, RegistryAuth, java.util.function.Predicate)}).
 *
 * @param total how many listable tags the repository has (cosign signature tags and invalid tags not counted)
 * @param kept  the tags the caller's filter kept, in the registry's order
 */
public record TagListing(int total, List<String> kept) {
}
