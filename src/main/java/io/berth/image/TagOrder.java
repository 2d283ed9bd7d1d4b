package io.berth.image;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.semver4j.Semver;

/**
 * Chooses the best tag among those a filter matched. The rule, in order:
 * <ol>
 * <li>Pre-releases (a dash-separated part that is alpha, beta, rc, pre, preview, snapshot, canary,
 * nightly, ea or M&lt;n&gt;, with an optional number: {@code 1.2.0-rc.1}, {@code 2.0-beta},
 * {@code build-7-rc1}) are not chosen while a release also matches, unless a {@code semver:} range
 * names a pre-release;</li>
 * <li>variants (a version with another suffix: {@code 1.26.1-alpine}, {@code 1.25-slim}) are not
 * chosen while a plain version ({@code 1.26.0}, {@code 1.26}) matches: follow a variant by
 * writing its suffix into the filter ({@code *-alpine});</li>
 * <li>version-like tags (starting with a digit, or v and a digit) beat words ({@code latest},
 * {@code main-3f2a1c9});</li>
 * <li>version-like tags compare by their numbers, one dot-separated number at a time, whatever
 * their form: {@code 2026.02.0 > 2025.11.1} (calendar versions), {@code 1.2 > 1.1.9},
 * {@code v1.10.0 > 1.9.9}; a missing number counts as 0 ({@code 1.2} ties with {@code 1.2.0}).
 * Only among equal numbers do suffixes count: a release beats its pre-releases (SemVer's rule,
 * applied to every version-like tag), and the rest compare in numeric-aware natural order
 * ({@code 1.2.0-rc.10 > 1.2.0-rc.9}, {@code 2024-02-01 > 2024-01-15}, {@code 1.2.0 > 1.2}).
 * Words compare in that natural order too ({@code build-100 > build-99}). Each step is a total
 * preorder, so the order is one too and safe for sorting;</li>
 * <li>ties go to the image created last (from the image config), then to the string order.</li>
 * </ol>
 */
public final class TagOrder {

    private static final Pattern PRE_RELEASE = Pattern.compile(
            "(?i)(alpha|beta|rc|pre|preview|snapshot|canary|nightly|ea)\\.?\\d*|(?i)m\\d+");
    private static final Pattern VERSION_LIKE = Pattern.compile("[vV]?\\d.*");
    private static final Pattern PLAIN_VERSION = Pattern.compile("[vV]?\\d+(\\.\\d+)*");

    private TagOrder() {
    }

    /** The tag as a semantic version (a leading v allowed), or null. */
    public static Semver semver(String tag) {
        String version = tag.startsWith("v") || tag.startsWith("V") ? tag.substring(1) : tag;
        if (version.isEmpty() || !Character.isDigit(version.charAt(0))) {
            return null; // no version; and Semver.isValid costs an exception per word (150 MB for 50,000 tags)
        }
        return Semver.isValid(version) ? Semver.parse(version) : null;
    }

    /** A release candidate, beta, alpha, ...: some part after a '-' names one. */
    public static boolean isPreRelease(String tag) {
        String[] parts = tag.split("-");
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].split("[+_]")[0];
            if (PRE_RELEASE.matcher(part).matches() || PRE_RELEASE.matcher(part.split("\\.")[0]).matches()) {
                return true;
            }
        }
        return false;
    }

    /** A version with a suffix that is not a pre-release: 1.26.1-alpine, 1.25-slim, 2024-02-01. */
    static boolean isVariant(String tag) {
        return VERSION_LIKE.matcher(tag).matches() && tag.contains("-") && !isPreRelease(tag);
    }

    /**
     * @param created looks up an image's creation time, used only to break ties (it may cost a
     *                registry request); may answer null
     */
    public static Optional<String> best(List<String> matches, TagFilter filter, Function<String, Instant> created) {
        List<String> candidates = matches;
        if (!filter.allowsPreReleasesOverReleases()) {
            List<String> releases = matches.stream().filter(t -> !isPreRelease(t)).toList();
            if (!releases.isEmpty()) {
                candidates = releases;
            }
        }
        if (candidates.stream().anyMatch(t -> PLAIN_VERSION.matcher(t).matches())) {
            candidates = candidates.stream().filter(t -> !isVariant(t)).toList();
        }
        Comparator<String> byCreated = Comparator.comparing(t -> created.apply(t),
                Comparator.nullsFirst(Comparator.<Instant>naturalOrder()));
        return candidates.stream().max(ORDER.thenComparing(byCreated).thenComparing(Comparator.naturalOrder()));
    }

    /**
     * Version-like tags above words. Version-like tags by their leading dot-separated numbers;
     * when those are equal, a release above a pre-release, then natural order. Words in natural
     * order. (SemVer's own precedence is not used here: it orders {@code rc10} below {@code rc9}
     * and, mixed with natural order for other tags, would not be transitive.)
     */
    static final Comparator<String> ORDER = (a, b) -> {
        boolean versionA = VERSION_LIKE.matcher(a).matches();
        boolean versionB = VERSION_LIKE.matcher(b).matches();
        if (versionA != versionB) {
            return versionA ? 1 : -1;
        }
        if (!versionA) {
            return natural(a, b);
        }
        int c = compareNumbers(a, b);
        if (c != 0) {
            return c;
        }
        boolean preA = isPreRelease(a);
        if (preA != isPreRelease(b)) {
            return preA ? -1 : 1;
        }
        return natural(a, b);
    };

    /** Compares the leading numbers of two version-like tags ({@code v1.2.3-x}: 1, 2, 3), missing ones as 0. */
    static int compareNumbers(String a, String b) {
        List<String> na = numbers(a);
        List<String> nb = numbers(b);
        for (int i = 0; i < Math.max(na.size(), nb.size()); i++) {
            String x = i < na.size() ? na.get(i) : "0";
            String y = i < nb.size() ? nb.get(i) : "0";
            int c = compareDigits(x, y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** The dot-separated digit runs a version-like tag starts with, without leading zeros. */
    private static List<String> numbers(String tag) {
        List<String> numbers = new java.util.ArrayList<>();
        int i = tag.startsWith("v") || tag.startsWith("V") ? 1 : 0;
        while (i < tag.length() && Character.isDigit(tag.charAt(i))) {
            int start = i;
            while (i < tag.length() && Character.isDigit(tag.charAt(i))) {
                i++;
            }
            numbers.add(tag.substring(start, i).replaceFirst("^0+(?=.)", ""));
            if (i + 1 < tag.length() && tag.charAt(i) == '.' && Character.isDigit(tag.charAt(i + 1))) {
                i++;
            } else {
                break;
            }
        }
        return numbers;
    }

    /** Digit strings without leading zeros, by value, whatever their length (no overflow). */
    private static int compareDigits(String x, String y) {
        return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
    }

    /** Compares runs of digits by value, other runs by character. */
    static int natural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = compareDigits(na, nb);
                if (c != 0) {
                    return c;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
