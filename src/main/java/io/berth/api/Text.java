package io.berth.api;

/**
 * The text rules every string of a request obeys (README "Text rules"). A value is stored exactly
 * as sent or refused; nothing is trimmed or otherwise altered.
 *
 * <ul>
 * <li>Everywhere (every JSON string and object key at every depth, every query parameter): no
 * U+0000, no other C0/C1 control character ({@link Character#CONTROL}, i.e. U+0000–U+001F,
 * U+007F–U+009F) except TAB, LF and CR, and no unpaired surrogate (text that is not valid Unicode,
 * e.g. {@code "\ud800"}).</li>
 * <li>Single-line values (names, URLs, user names, image names, tags, filters — see
 * {@link SingleLine}): additionally no control character at all (TAB, LF, CR included), no line or
 * paragraph separator (U+2028, U+2029), and no leading or trailing whitespace.</li>
 * </ul>
 */
public final class Text {

    private Text() {
    }

    /**
     * The first problem of a value under the rule that applies everywhere.
     *
     * @return a sentence for the error message, or null when the text is acceptable
     */
    public static String problem(String text) {
        return problem(text, false);
    }

    /**
     * The first problem of a value under the single-line rule (which includes the general rule).
     *
     * @return a sentence for the error message, or null when the text is acceptable
     */
    public static String singleLineProblem(String text) {
        return singleLineProblem(text, false);
    }

    /**
     * As {@link #singleLineProblem(String)}; with {@code allowSurroundingWhitespace} (secrets) a
     * value may begin or end with whitespace.
     */
    public static String singleLineProblem(String text, boolean allowSurroundingWhitespace) {
        String problem = problem(text, true);
        if (problem != null) {
            return problem;
        }
        if (!allowSurroundingWhitespace && !text.isEmpty() && (isSpace(text.codePointAt(0)) || isSpace(text.codePointBefore(text.length())))) {
            return "must not start or end with whitespace";
        }
        return null;
    }

    private static String problem(String text, boolean singleLine) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains an unpaired surrogate (" + codePoint(c) + "); it is not valid Unicode text";
            }
            if (Character.isLowSurrogate(c)) {
                return "contains an unpaired surrogate (" + codePoint(c) + "); it is not valid Unicode text";
            }
            if (c == 0) {
                return "must not contain U+0000";
            }
            if (Character.getType(c) == Character.CONTROL && (singleLine || (c != '\t' && c != '\n' && c != '\r'))) {
                return "must not contain the control character " + codePoint(c);
            }
            if (singleLine && (c == '\u2028' || c == '\u2029')) {
                return "must be a single line (contains " + codePoint(c) + ")";
            }
        }
        return null;
    }

    private static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    /** {@code U+XXXX}: how a character is named in messages (never the raw character itself). */
    public static String codePoint(int c) {
        return String.format("U+%04X", c);
    }
}
