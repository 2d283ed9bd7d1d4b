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
 * <li>semantic versions ({@code 1.2.3}, {@code v1.2.3}) beat other version-like tags (starting with
 * a digit, or v and a digit), which beat words ({@code latest}, {@code main-3f2a1c9});</li>
 * <li>the highest semantic version wins; other tags compare in numeric-aware natural order
 * ({@code 1.10 > 1.9}, {@code 20240301 > 20240229}, {@code build-100 > build-99});</li>
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

    /** Semantic versions, then version-like tags, then words; within each, by version or naturally. */
    static final Comparator<String> ORDER = (a, b) -> {
        Semver va = semver(a);
        Semver vb = semver(b);
        int group = Integer.compare(group(a, va), group(b, vb));
        if (group != 0) {
            return group;
        }
        if (va != null) {
            int c = va.compareTo(vb);
            return c != 0 ? c : natural(a, b);
        }
        return natural(a, b);
    };

    private static int group(String tag, Semver version) {
        return version != null ? 2 : VERSION_LIKE.matcher(tag).matches() ? 1 : 0;
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
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
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
