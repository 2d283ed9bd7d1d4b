package io.berth.api;

/**
 * {@code limit} (default 25, 0..200) and {@code offset} (default 0) from the query string. Parsed
 * from text here, because JAX-RS answers 404 for a query parameter it cannot convert. A given value
 * must be plain decimal digits: {@code ?limit=}, {@code ?limit=%205} or {@code ?limit=+5} are 400,
 * never read as the default or trimmed.
 */
public record PageRequest(int limit, int offset) {

    public static final int DEFAULT_LIMIT = 25;
    public static final int MAX_LIMIT = 200;

    public static PageRequest of(String limit, String offset) {
        return new PageRequest(parse("limit", limit, DEFAULT_LIMIT, MAX_LIMIT), parse("offset", offset, 0, Integer.MAX_VALUE));
    }

    private static int parse(String name, String text, int defaultValue, int max) {
        if (text == null) {
            return defaultValue;
        }
        try {
            if (!text.matches("[0-9]{1,10}")) {
                throw new NumberFormatException(); // Integer.parseInt would also take a sign
            }
            int value = Integer.parseInt(text);
            if (value >= 0 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.validation(name, "\"" + name + "\" must be an integer from 0 to " + max + ".",
                "limit defaults to " + DEFAULT_LIMIT + " and may be at most " + MAX_LIMIT + "; offset starts at 0.");
    }
}
