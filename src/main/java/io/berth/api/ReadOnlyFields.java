package io.berth.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** The fields every resource has and no client may set, with what to do instead. */
public final class ReadOnlyFields {

    public static final Map<String, String> COMMON = Map.of(
            "id", "Ids are assigned by the server.",
            "createdAt", "Timestamps are maintained by the server.",
            "updatedAt", "Timestamps are maintained by the server.",
            "createdBy", "The creator is taken from the token's subject.",
            "modifiedBy", "The last modifier is taken from the token's subject.",
            "version", "Send the version you read in If-Match instead; the server increments it.");

    private ReadOnlyFields() {
    }

    /** The common fields plus a resource's own read-only fields (alternating name, hint). */
    public static Map<String, String> with(String... namesAndHints) {
        Map<String, String> all = new LinkedHashMap<>(COMMON);
        for (int i = 0; i < namesAndHints.length; i += 2) {
            all.put(namesAndHints[i], namesAndHints[i + 1]);
        }
        return Map.copyOf(all);
    }
}
