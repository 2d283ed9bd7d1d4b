package io.berth.api;

/**
 * {@code ?dryRun=true} or {@code X-Dry-Run: true}: validate everything, store nothing. Only
 * {@code true} and {@code false} (any case) are values; an empty one is 400, not false.
 */
public final class DryRun {

    public static final String HEADER = "X-Dry-Run";
    public static final String QUERY = "dryRun";

    private DryRun() {
    }

    public static boolean requested(String query, String header) {
        return parse(QUERY, query) || parse(HEADER, header);
    }

    private static boolean parse(String name, String value) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw ApiException.validation(name, name + " must be true or false.", null);
    }
}
