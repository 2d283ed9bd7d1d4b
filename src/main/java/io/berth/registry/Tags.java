package io.berth.registry;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.registry.RegistryException.Kind;

/**
 * A repository's tags: {@code GET /v2/<name>/tags/list?n=<page size>}, page after page along
 * {@code Link: <...>; rel="next"} (OCI distribution-spec "Listing Tags", RFC 8288 links), bounded
 * by berth.registry.max-tags (tags held) and max-tag-pages (pages read).
 */
final class Tags {

    static final long MAX_TAGS_PAGE_BYTES = 4L << 20;
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;[^,]*rel=\"?next\"?");
    private static final Pattern SIGNATURE_TAG = Pattern.compile("sha256-[0-9a-f]{64}(\\..*)?");

    private final Authenticator registry;
    private final ObjectMapper mapper;
    private final RegistryConfig config;

    Tags(Authenticator registry, ObjectMapper mapper, RegistryConfig config) {
        this.registry = registry;
        this.mapper = mapper;
        this.config = config;
    }

    /** See {@link RegistryClient#tags(ImageReference, RegistryAuth, Predicate)}. */
    TagListing list(ImageReference repository, RegistryAuth auth, Predicate<String> keep) {
        Set<String> kept = new LinkedHashSet<>();
        int total = 0;
        int pages = 0;
        URI next = uri(repository, auth, config.tagsPageSize());
        Set<URI> seen = new LinkedHashSet<>(); // at most max-tag-pages links
        while (next != null) {
            if (!seen.add(next)) {
                break; // a registry sending the same page link again would loop forever
            }
            if (++pages > config.maxTagPages()) {
                throw new RegistryException(Kind.TOO_MANY_TAGS, repository.familiarName() + " lists its tags on more than "
                        + config.maxTagPages() + " pages (berth.registry.max-tag-pages), " + total + " tags so far.");
            }
            Exchange answer = registry.send("GET", next, repository, auth, Map.of("Accept", "application/json"),
                    MAX_TAGS_PAGE_BYTES);
            answer.expectFound(repository, "repository");
            for (JsonNode tag : answer.json(mapper, repository.registry()).path("tags")) {
                String value = tag.asText("");
                if (isListable(value)) {
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

    /** See {@link RegistryClient#repositoryExists}: one page of one tag. */
    boolean repositoryExists(ImageReference repository, RegistryAuth auth) {
        try {
            Exchange answer = registry.send("GET", uri(repository, auth, 1), repository, auth,
                    Map.of("Accept", "application/json"), MAX_TAGS_PAGE_BYTES);
            return answer.status() >= 200 && answer.status() < 300;
        } catch (RegistryException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private static URI uri(ImageReference repository, RegistryAuth auth, int pageSize) {
        return RegistryHost.of(repository).apiBase(auth.insecure())
                .resolve("/v2/" + repository.repository() + "/tags/list?n=" + pageSize);
    }

    /** The next page's URI, on the same scheme, host and port, else REFUSED_TARGET; null on the last page. */
    private static URI nextPage(Exchange answer) {
        for (String link : answer.headerValues("Link")) {
            Matcher m = NEXT_LINK.matcher(link);
            if (m.find()) {
                URI next = answer.uri().resolve(m.group(1));
                String here = RegistryHost.hostAndPort(answer.uri());
                if (!RegistryHost.hostAndPort(next).equals(here) || !next.getScheme().equalsIgnoreCase(answer.uri().getScheme())) {
                    throw new RegistryException(Kind.REFUSED_TARGET, "The next page of tags is on another host ("
                            + next.getScheme() + "://" + RegistryHost.hostAndPort(next) + ", not " + here + ").");
                }
                return next;
            }
        }
        return null;
    }

    /** Whether a listed tag is one to offer: valid, and no cosign signature or attestation stored as a tag. */
    static boolean isListable(String tag) {
        if (tag.isEmpty() || SIGNATURE_TAG.matcher(tag).matches()) {
            return false;
        }
        try {
            ImageReference.validTag(tag);
            return true;
        } catch (ImageReference.InvalidReferenceException e) {
            return false;
        }
    }
}
