package io.berth.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 9110 §11.6.1): a scheme and its
 * parameters. Several challenges may share one header and several headers may be sent.
 */
public record Challenge(String scheme, Map<String, String> params) {

    public boolean isBearer() {
        return "bearer".equals(scheme);
    }

    public boolean isBasic() {
        return "basic".equals(scheme);
    }

    public String param(String name) {
        return params.get(name);
    }

    /** The challenge to answer: Bearer if offered, else Basic, else none we understand. */
    public static Optional<Challenge> preferred(List<String> headers) {
        List<Challenge> all = new ArrayList<>();
        headers.forEach(h -> all.addAll(parse(h)));
        return all.stream().filter(Challenge::isBearer).findFirst()
                .or(() -> all.stream().filter(Challenge::isBasic).findFirst());
    }

    /** Parses every challenge in one header value; malformed parts are skipped, never thrown. */
    public static List<Challenge> parse(String header) {
        List<Challenge> challenges = new ArrayList<>();
        if (header == null) {
            return challenges;
        }
        Lexer lexer = new Lexer(header);
        String scheme = null;
        Map<String, String> params = new LinkedHashMap<>();
        while (lexer.skipSeparators()) {
            String token = lexer.token();
            if (token.isEmpty()) {
                lexer.skipOne();
                continue;
            }
            lexer.skipSpaces();
            if (lexer.peek() == '=') {
                lexer.skipOne();
                lexer.skipSpaces();
                String value = lexer.peek() == '"' ? lexer.quoted() : lexer.token();
                if (scheme != null) {
                    params.putIfAbsent(token.toLowerCase(Locale.ROOT), value);
                }
            } else {
                if (scheme != null) {
                    challenges.add(new Challenge(scheme, Map.copyOf(params)));
                }
                scheme = token.toLowerCase(Locale.ROOT);
                params = new LinkedHashMap<>();
            }
        }
        if (scheme != null) {
            challenges.add(new Challenge(scheme, Map.copyOf(params)));
        }
        return challenges;
    }

    private static final class Lexer {
        private final String s;
        private int i;

        Lexer(String s) {
            this.s = s;
        }

        char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        void skipOne() {
            i++;
        }

        void skipSpaces() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }

        /** Skips spaces and commas; false at the end. */
        boolean skipSeparators() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == ',')) {
                i++;
            }
            return i < s.length();
        }

        String token() {
            int start = i;
            while (i < s.length() && "=, \t\"".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            return s.substring(start, i);
        }

        String quoted() {
            StringBuilder out = new StringBuilder();
            i++; // opening quote
            while (i < s.length() && s.charAt(i) != '"') {
                if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                    i++;
                }
                out.append(s.charAt(i++));
            }
            i++; // closing quote
            return out.toString();
        }
    }
}
