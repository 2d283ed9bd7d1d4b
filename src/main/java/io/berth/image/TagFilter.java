package io.berth.image;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.semver4j.Semver;
import org.semver4j.range.RangeList;
import org.semver4j.range.RangeListFactory;

/**
 * Which tags of a repository an image follows. Three forms:
 * <ul>
 * <li>comma-separated globs where {@code *} matches any run of {@code [A-Za-z0-9._-]}
 * ({@code latest}, {@code 1.*}, {@code *-alpine,stable});</li>
 * <li>{@code semver:<range>} with npm range syntax ({@code ^1.2}, {@code ~1.2.3}, {@code >=1.0 <2},
 * {@code 1.x}, {@code ||}), matching tags that are semantic versions (a leading {@code v} allowed);
 * pre-releases only when the range names one (npm's rule), or always with {@code semver-pre:};</li>
 * <li>{@code regex:<pattern>}, a Java regular expression that must match the whole tag.</li>
 * </ul>
 */
public final class TagFilter {

    public static final String DEFAULT = "latest";
    static final int MAX_LENGTH = 255;
    static final int MAX_REGEX_LENGTH = 200;
    /** Regex matching gets this long per tag; a pattern that needs more is refused as too slow. */
    static final long REGEX_BUDGET_NANOS = 20_000_000;

    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9._*-]+");
    private static final Pattern RANGE_CHARS = Pattern.compile("[0-9A-Za-z.*xX^~<>=|+\\s-]+");

    /** A filter that cannot be used, with a hint on how to write it. */
    public static final class InvalidFilterException extends RuntimeException {
        private final String hint;

        InvalidFilterException(String message, String hint) {
            super(message, null, false, false);
            this.hint = hint;
        }

        public String hint() {
            return hint;
        }
    }

    private enum Kind { GLOB, SEMVER, REGEX }

    private final String text;
    private final Kind kind;
    private final List<Pattern> globs;
    private final RangeList range;
    private final boolean rangeNamesPreRelease;
    private final Pattern regex;

    private TagFilter(String text, Kind kind, List<Pattern> globs, RangeList range, boolean rangeNamesPreRelease,
            Pattern regex) {
        this.text = text;
        this.kind = kind;
        this.globs = globs;
        this.range = range;
        this.rangeNamesPreRelease = rangeNamesPreRelease;
        this.regex = regex;
    }

    public static TagFilter parse(String text) {
        if (text == null || text.isEmpty()) {
            throw invalid("A tag filter is required.", null);
        }
        String filter = text; // stored as written: never trimmed
        if (filter.length() > MAX_LENGTH) {
            throw invalid("The tag filter is longer than " + MAX_LENGTH + " characters.", null);
        }
        if (filter.startsWith("semver:") || filter.startsWith("semver-pre:")) {
            return semver(filter, filter.startsWith("semver-pre:"));
        }
        if (filter.startsWith("regex:")) {
            return regex(filter);
        }
        List<Pattern> globs = new ArrayList<>();
        for (String part : filter.split(",")) {
            String glob = part.trim();
            if (glob.isEmpty() || !GLOB.matcher(glob).matches()) {
                throw invalid("\"" + glob + "\" is not a tag pattern.", null);
            }
            globs.add(Pattern.compile(String.join("[A-Za-z0-9._-]*",
                    java.util.Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote).toList())));
        }
        return new TagFilter(filter, Kind.GLOB, List.copyOf(globs), null, false, null);
    }

    private static TagFilter semver(String filter, boolean includePreRelease) {
        String expression = filter.substring(filter.indexOf(':') + 1).trim();
        if (expression.isEmpty() || !RANGE_CHARS.matcher(expression).matches()) {
            throw invalid("\"" + expression + "\" is not a semver range.", null);
        }
        RangeList range;
        try {
            range = RangeListFactory.create(expression, includePreRelease);
        } catch (RuntimeException e) {
            throw invalid("\"" + expression + "\" is not a semver range.", null);
        }
        if (range.get().isEmpty()) {
            throw invalid("\"" + expression + "\" is not a semver range.", null);
        }
        boolean namesPreRelease = includePreRelease || range.toString().matches(".*\\d+\\.\\d+\\.\\d+-.*");
        return new TagFilter(filter, Kind.SEMVER, List.of(), range, namesPreRelease, null);
    }

    private static TagFilter regex(String filter) {
        String expression = filter.substring("regex:".length());
        if (expression.isEmpty() || expression.length() > MAX_REGEX_LENGTH) {
            throw invalid("A regex filter needs a pattern of 1 to " + MAX_REGEX_LENGTH + " characters.", null);
        }
        try {
            Pattern pattern = Pattern.compile(expression);
            // catastrophic backtracking shows on tag-shaped input long before real tags arrive
            for (String probe : List.of("a".repeat(40) + "!", "1.".repeat(30) + "-", "v" + "9".repeat(60) + "x")) {
                timedMatch(pattern, probe);
            }
            return new TagFilter(filter, Kind.REGEX, List.of(), null, false, pattern);
        } catch (PatternSyntaxException e) {
            throw invalid("The regex does not compile: " + e.getDescription() + " near index " + e.getIndex() + ".",
                    "regex: takes a Java regular expression that must match the whole tag, e.g. regex:^v?\\d+\\.\\d+\\.\\d+$");
        } catch (TooSlow e) {
            throw invalid("The regex takes too long to match (catastrophic backtracking).",
                    "Avoid nested quantifiers such as (a+)+; match tags with a simpler pattern.");
        }
    }

    public boolean matches(String tag) {
        return switch (kind) {
            case GLOB -> globs.stream().anyMatch(g -> g.matcher(tag).matches());
            case SEMVER -> {
                Semver version = TagOrder.semver(tag);
                yield version != null && range.isSatisfiedBy(version);
            }
            case REGEX -> {
                try {
                    yield timedMatch(regex, tag);
                } catch (TooSlow e) {
                    yield false;
                }
            }
        };
    }

    public List<String> filter(List<String> tags) {
        return tags.stream().filter(this::matches).toList();
    }

    /** Whether pre-releases compete with releases (a semver range that names a pre-release). */
    /** The one tag a filter names when it is a single pattern without wildcard ({@code latest}), else null. */
    public String singleTag() {
        return kind == Kind.GLOB && !text.contains(",") && !text.contains("*") ? text : null;
    }

    public boolean allowsPreReleasesOverReleases() {
        return kind == Kind.SEMVER && rangeNamesPreRelease;
    }

    @Override
    public String toString() {
        return text;
    }

    private static InvalidFilterException invalid(String message, String hint) {
        return new InvalidFilterException(message, hint != null ? hint
                : "Use comma-separated patterns where * matches any run of [A-Za-z0-9._-] (e.g. 1.*,latest), "
                        + "semver:<range> (e.g. semver:^1.2 or semver:>=1.0 <2), or regex:<pattern>.");
    }

    private static final class TooSlow extends RuntimeException {
        TooSlow() {
            super(null, null, false, false);
        }
    }

    private static boolean timedMatch(Pattern pattern, String input) {
        long deadline = System.nanoTime() + REGEX_BUDGET_NANOS;
        return pattern.matcher(new DeadlineCharSequence(input, deadline)).matches();
    }

    /** Gives up a regex match once its deadline passes: every character read checks the clock. */
    private record DeadlineCharSequence(String text, long deadline) implements CharSequence {
        @Override
        public char charAt(int index) {
            if (System.nanoTime() > deadline) {
                throw new TooSlow();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new DeadlineCharSequence(text.substring(start, end), deadline);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
