package io.berth.image;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.berth.registry.ImageReference;
import io.berth.registry.RegistryAuth;
import io.berth.registry.RegistryClient;
import io.berth.registry.RegistryException;
import io.berth.registry.TagListing;

/**
 * Discovery, the registry half of tracking an image: list the repository's tags, keep those the
 * filter matches, choose the best by {@link TagOrder}, and read its digest, platforms and exposed
 * ports. It talks to the registry only (never the database), so callers run it outside any
 * transaction and store its {@link CheckOutcome} afterwards.
 */
@ApplicationScoped
class ImageDiscovery {

    private final RegistryClient registry;

    ImageDiscovery(RegistryClient registry) {
        this.registry = registry;
    }

    /**
     * Never throws for a registry failure: it is returned in the outcome, to be stored. Costs, with
     * a warm token and an unchanged image: the digest strategy one HEAD of its tag (no tag list:
     * the filter names the one tag); the others the tag list's pages plus one HEAD of the best tag
     * (details of a digest already read are not read again, see {@link RegistryClient#inspect}).
     */
    CheckOutcome discover(ImageReference ref, TagFilter filter, UpdateStrategy strategy, RegistryAuth auth) {
        try {
            if (strategy == UpdateStrategy.DIGEST && filter.singleTag() != null) {
                String tag = filter.singleTag();
                try {
                    return new CheckOutcome(tag, registry.inspect(ref.withTag(tag), auth), 1, List.of(tag), null);
                } catch (RegistryException e) {
                    if (e.kind() != RegistryException.Kind.NOT_FOUND) {
                        throw e;
                    }
                    // no such tag, or no such repository: the listing below tells which, as for any strategy
                }
            }
            // only the matches are held while paging: a repository of 50,000 per-commit tags costs
            // memory for the few that match, not for all of them
            TagListing listing = registry.tags(ref, auth, filter::matches);
            List<String> matches = List.copyOf(listing.kept());
            String best = strategy.best(matches, filter, tag -> created(ref.withTag(tag), auth)).orElse(null);
            if (best == null) {
                return new CheckOutcome(null, null, listing.total(), matches, null);
            }
            return new CheckOutcome(best, registry.inspect(ref.withTag(best), auth), listing.total(), matches, null);
        } catch (RegistryException e) {
            return CheckOutcome.failed(e);
        }
    }

    /** Creation time of a tag's image, to break ties in the best-tag rule. */
    Instant created(ImageReference tag, RegistryAuth auth) {
        OffsetDateTime created = registry.inspect(tag, auth).created();
        return created == null ? null : created.toInstant();
    }
}
