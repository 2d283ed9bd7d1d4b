package io.berth.api;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a resource declares about its fields so that {@link JsonBodies#merge} can apply any PATCH
 * (or partial PUT) body to the resource's current view the same way. Field names are top-level
 * names or dotted paths ({@code source.image.digest}).
 *
 * @param refused   read-only and create-only fields, each with the hint that says how to change
 *                  it instead: present in a body (whatever the value) they are 422 READONLY_FIELD
 * @param createOnly the refused fields the bound record still carries (given at creation, shown
 *                  in the view, never changed by a patch), e.g. a container image's imageName
 * @param required  fields that cannot be cleared, in the order they are checked, each with its
 *                  hint: an explicit {@code null} is 400 "&lt;field&gt; cannot be null."
 * @param nullKeeps paths where {@code null} means "keep the current value" instead of RFC 7396's
 *                  "remove" (the application PUT's documented rule inside source and resources)
 * @param replaced  top-level fields whose object value replaces the current one whole instead of
 *                  being merged key by key (the application's environmentVariables)
 */
public record PatchRules(Map<String, String> refused, Set<String> createOnly, Map<String, String> required,
        Set<String> nullKeeps, Set<String> replaced) {

    public PatchRules {
        refused = Map.copyOf(refused);
        createOnly = Set.copyOf(createOnly);
        required = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(required)); // keeps the order
        nullKeeps = Set.copyOf(nullKeeps);
        replaced = Set.copyOf(replaced);
    }

    /** Rules with only read-only (and create-only) fields; add the rest with the methods below. */
    public static PatchRules refusing(Map<String, String> refused) {
        return new PatchRules(refused, Set.of(), Map.of(), Set.of(), Set.of());
    }

    /** Marks refused fields the bound record carries: they stay in the merged body with their current value. */
    public PatchRules createOnly(String... fields) {
        return new PatchRules(refused, union(createOnly, fields), required, nullKeeps, replaced);
    }

    /** Adds a field an explicit null may not clear, checked after those added before. */
    public PatchRules required(String field, String hint) {
        Map<String, String> all = new LinkedHashMap<>(required);
        all.put(field, hint);
        return new PatchRules(refused, createOnly, all, nullKeeps, replaced);
    }

    /** Adds paths (dotted) where an explicit null keeps the current value rather than removing it. */
    public PatchRules nullKeeps(String... paths) {
        return new PatchRules(refused, createOnly, required, union(nullKeeps, paths), replaced);
    }

    /** Adds top-level fields whose value replaces the current one whole (no key-by-key merge). */
    public PatchRules replaced(String... fields) {
        return new PatchRules(refused, createOnly, required, nullKeeps, union(replaced, fields));
    }

    private static Set<String> union(Set<String> set, String... more) {
        Set<String> all = new LinkedHashSet<>(set);
        all.addAll(Arrays.asList(more));
        return all;
    }
}
