package io.berth.image;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a tracked image chooses its candidate among the tags its filter matches, and how two tags
 * compare for "never backwards". Stored by name, shown in lower case on the wire.
 */
public enum UpdateStrategy {
    /** The best tag by {@link TagOrder}: versions by their numbers, releases over pre-releases (the default). */
    @JsonProperty("semver")
    SEMVER,
    /** The filter names exactly one tag ({@code latest}, {@code stable}); an update is a new digest behind it. */
    @JsonProperty("digest")
    DIGEST,
    /** The matching tag whose image was created last (image config {@code created}). */
    @JsonProperty("newest-build")
    NEWEST_BUILD,
    /** The last matching tag in plain string order (e.g. {@code 2026-11-30-a1b2c3}). */
    @JsonProperty("alphabetical")
    ALPHABETICAL,
    /** The largest integer tag (build numbers); tags that are not integers are ignored. */
    @JsonProperty("numerical")
    NUMERICAL;

    private static final Pattern INTEGER = Pattern.compile("\\d{1,30}");

    /**
     * The candidate among {@code matches}, or empty.
     *
     * @param created the creation time of a tag's image (a registry request each; may answer
     *                null): {@link #NEWEST_BUILD} asks it for every match, {@link #SEMVER} only to
     *                break ties
     */
    public Optional<String> best(List<String> matches, TagFilter filter, Function<String, Instant> created) {
        return switch (this) {
            case SEMVER -> TagOrder.best(matches, filter, created);
            case DIGEST -> matches.stream().filter(t -> t.equals(filter.singleTag())).findFirst();
            case NEWEST_BUILD -> matches.stream().max(Comparator.comparing(created,
                    Comparator.nullsFirst(Comparator.<Instant>naturalOrder())).thenComparing(TagOrder.ORDER));
            case ALPHABETICAL, NUMERICAL -> matches.stream().filter(this::orders).max(order());
        };
    }

    /**
     * Whether this strategy can rank {@code tag} against others (for "never backwards"): every tag
     * for semver and alphabetical, integers for numerical; digest and newest-build do not rank
     * tags by their names.
     */
    public boolean orders(String tag) {
        return switch (this) {
            case SEMVER, ALPHABETICAL -> true;
            case NUMERICAL -> INTEGER.matcher(tag).matches();
            case DIGEST, NEWEST_BUILD -> false;
        };
    }

    /** The order of tags this strategy ranks ({@link #orders}); newer compares greater. */
    public Comparator<String> order() {
        return switch (this) {
            case SEMVER -> TagOrder.ORDER;
            case NUMERICAL -> Comparator.comparing((String t) -> t.replaceFirst("^0+(?=.)", ""),
                    Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
            case ALPHABETICAL, DIGEST, NEWEST_BUILD -> Comparator.naturalOrder();
        };
    }
}
