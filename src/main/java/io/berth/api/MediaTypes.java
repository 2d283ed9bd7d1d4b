package io.berth.api;

/** Media types of the API beyond {@code application/json}. */
public final class MediaTypes {

    /**
     * A JSON Merge Patch document (RFC 7396 §4). Every PATCH accepts it as well as
     * {@code application/json}; both are read by {@link MergePatch}'s rules.
     */
    public static final String MERGE_PATCH_JSON = "application/merge-patch+json";

    private MediaTypes() {
    }
}
