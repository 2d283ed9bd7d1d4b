package io.berth.api;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;

/**
 * Optimistic concurrency on the wire: the {@code ETag} of a resource is its version, and an
 * {@code If-Match} naming another version is refused with 409 CONFLICT.
 */
public record Preconditions(Set<Long> acceptedVersions) {

    public static final String IF_MATCH = "If-Match";
    private static final Preconditions NONE = new Preconditions(Set.of());

    /** Parses {@code If-Match}: absent or {@code *} accepts any version; else a list of (weak) ETags. */
    public static Preconditions ifMatch(String header) {
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return NONE;
        }
        Set<Long> versions = new LinkedHashSet<>();
        for (String part : header.split(",")) {
            String tag = part.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
                tag = tag.substring(1, tag.length() - 1);
            }
            try {
                versions.add(Long.parseLong(tag));
            } catch (NumberFormatException e) {
                throw ApiException.validation(IF_MATCH, "If-Match must list ETags such as \"3\".",
                        "Use the ETag header of your last read of the resource.");
            }
        }
        return new Preconditions(Set.copyOf(versions));
    }

    /** Refuses the change when the caller's copy is not the current version. */
    public void check(long currentVersion) {
        if (!acceptedVersions.isEmpty() && !acceptedVersions.contains(currentVersion)) {
            throw ApiException.conflict("The resource is at version " + currentVersion + ", not "
                    + acceptedVersions.iterator().next() + " as If-Match requires.",
                    "Re-read the resource (GET), then apply your change to its current version.");
        }
    }

    /**
     * Refuses to store a change computed from version {@code basedOn} of a resource (a merge patch
     * applied to the view a resource read, a registry check made outside the transaction) when the
     * row is now at {@code current}: another request changed it meanwhile, 409 CONFLICT.
     *
     * @param what the resource as a message names it, e.g. "container image"
     */
    public static void requireUnchanged(String what, long basedOn, long current) {
        if (basedOn != current) {
            throw ApiException.conflict("The " + what + " was changed by another request meanwhile.",
                    "Re-read the " + what + " (GET), then apply your change to its current version.");
        }
    }

    public static EntityTag etag(long version) {
        return new EntityTag(Long.toString(version));
    }

    public static Response ok(Object body, long version) {
        return Response.ok(body).tag(etag(version)).build();
    }

    public static Response created(URI location, Object body, long version) {
        return Response.created(location).entity(body).tag(etag(version)).build();
    }
}
