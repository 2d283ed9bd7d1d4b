package io.berth.image;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variant of a version-like tag: what follows the version and is neither a pre-release nor a
 * build number. {@code 1.25-alpine} and {@code 1.26.0-rc.1-alpine} are variant {@code alpine};
 * {@code 1.26}, {@code 1.26.0-rc.1} and {@code 1.2.3-45} have none (""). Tags that are no version
 * ({@code latest}, {@code main-3f2a1c9}) have no variant to compare: null. Auto-update keeps an
 * application on its variant, the way image publishers build a variant line ({@code -alpine},
 * {@code -slim}, {@code -bookworm}) next to the plain one.
 */
public final class TagVariants {

    private static final Pattern VERSION = Pattern.compile("[vV]?\\d+(?:\\.\\d+)*");

    private TagVariants() {
    }

    /** The variant suffix ("" for none), or null for a tag that is no version. */
    public static String suffix(String tag) {
        Matcher m = VERSION.matcher(tag);
        if (!m.lookingAt()) {
            return null;
        }
        String rest = tag.substring(m.end());
        if (rest.isEmpty()) {
            return "";
        }
        if (!rest.startsWith("-")) {
            return rest; // 1.2a, 1.2+build: the rest names the line
        }
        List<String> kept = new ArrayList<>();
        for (String part : rest.substring(1).split("-")) {
            if (!part.chars().allMatch(Character::isDigit) && !TagOrder.isPreRelease("0-" + part)) {
                kept.add(part);
            }
        }
        return String.join("-", kept);
    }
}
