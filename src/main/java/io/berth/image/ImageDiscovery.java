package io.berth.image;

import java.time.Instant;
import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import io.berth.registry.ImageDetails;
import io.berth.registry.ImageReference;
import io.berth.registry.RegistryAuth;
import io.berth.registry.RegistryClient;
import io.berth.registry.RegistryException;
import io.berth.registry.TagListing;

/**
 * Discovery, the registry half of tracking an image: list the repository's tags, keep those the
 * filter matches, choose the best by {@link TagOrder}, and read its digest, platforms and exposed
 * ports. It talks to the registry only (never the database), so callers run it outside any
 * transaction and store its {@link Outcome} afterwards.
 */
@ApplicationScoped
class ImageDiscovery {

    private final RegistryClient registry;

    ImageDiscovery(RegistryClient registry) {
        this.registry = registry;
    }

    /**
     * What one discovery found: the best tag and its facts, or why there is none ({@code bestTag}
     * null with {@code failure} null: no tag of {@code tagCount} matched; {@code failure} set: the
     * registry failed).
     */
    record Outcome(String bestTag, ImageDetails details, int tagCount, RegistryException failure) {
    }

    /** Never throws for a registry failure: it is returned in the outcome, to be stored. */
    Outcome discover(ImageReference ref, TagFilter filter, RegistryAuth auth) {
        try {
            // only the matches are held while paging: a repository of 50,000 per-commit tags costs
            // memory for the few that match, not for all of them
            TagListing listing = registry.tags(ref, auth, filter::matches);
            String best = TagOrder.best(listing.kept(), filter, tag -> created(ref.withTag(tag), auth)).orElse(null);
            if (best == null) {
                return new Outcome(null, null, listing.total(), null);
            }
            return new Outcome(best, registry.inspect(ref.withTag(best), auth), listing.total(), null);
        } catch (RegistryException e) {
            return new Outcome(null, null, 0, e);
        }
    }

    /** Creation time of a tag's image, to break ties in the best-tag rule. */
    private Instant created(ImageReference tag, RegistryAuth auth) {
        OffsetDateTime created = registry.inspect(tag, auth).created();
        return created == null ? null : created.toInstant();
    }
}
