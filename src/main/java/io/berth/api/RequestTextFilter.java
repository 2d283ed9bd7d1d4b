package io.berth.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Request-wide text rules that are not about the JSON body (README "Text rules"):
 *
 * <ul>
 * <li>a request that carries a body must say what it is: no {@code Content-Type} is 415
 * {@code VALIDATION_ERROR} with {@code field: Content-Type} (operations without a body, such as
 * check-updates or test, need none);</li>
 * <li>every query parameter name and value must be well-formed percent-encoded UTF-8 and obey
 * {@link Text#problem} plus "no control characters at all" (query values are single words: ids,
 * numbers, repository names), and a given value must not be empty ({@code ?limit=} is not the
 * default), and no parameter may be given twice ({@code ?limit=1&limit=2} has no one meaning); else
 * 400 with {@code field} = the parameter name.</li>
 * </ul>
 *
 * Runs after authentication (an anonymous caller learns nothing about parameters) and before the
 * idempotency filter, so a refused request is never stored.
 */
public class RequestTextFilter {

    /** Checks one request; throws the contract error it deserves. */
    @ServerRequestFilter(priority = Priorities.HEADER_DECORATOR)
    public void check(ContainerRequestContext request) {
        if (hasBody(request) && request.getHeaderString(HttpHeaders.CONTENT_TYPE) == null) {
            // The 415 mapper answers VALIDATION_ERROR with field Content-Type and a hint.
            throw new NotSupportedException("A request body needs a Content-Type.");
        }
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        if (query != null && !query.isEmpty()) {
            checkQuery(query);
        }
    }

    private static boolean hasBody(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.trim().equals("0");
        }
        return request.getHeaderString("Transfer-Encoding") != null;
    }

    static void checkQuery(String rawQuery) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name = decode(rawName, null);
            String problem = problem(name);
            if (problem != null) {
                throw ApiException.validation(null, "A query parameter name " + problem + ".", HINT);
            }
            if (!seen.add(name)) {
                throw ApiException.validation(name, "Query parameter \"" + name + "\" is given more than once.",
                        "Give each parameter once.");
            }
            if (eq >= 0) {
                String value = decode(pair.substring(eq + 1), name);
                if (value.isEmpty()) {
                    // JAX-RS hands an empty value on as if it were absent; an empty value is not a default
                    throw ApiException.validation(name, "Query parameter \"" + name + "\" is empty.",
                            "Omit the parameter to use its default.");
                }
                problem = problem(value);
                if (problem != null) {
                    throw ApiException.validation(name, "Query parameter \"" + name + "\" " + problem + ".", HINT);
                }
            }
        }
    }

    private static final String HINT = "Query parameters are percent-encoded UTF-8 without control characters.";

    private static String problem(String text) {
        String problem = Text.problem(text);
        if (problem != null) {
            return problem;
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.getType(text.charAt(i)) == Character.CONTROL) {
                return "must not contain the control character " + Text.codePoint(text.charAt(i));
            }
        }
        return null;
    }

    /** Strict application/x-www-form-urlencoded decoding ('+' is a space) of one name or value. */
    private static String decode(String raw, String field) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int value = i + 2 < raw.length() ? hex(raw.charAt(i + 1), raw.charAt(i + 2)) : -1;
                if (value < 0) {
                    throw ApiException.validation(field, "Malformed percent-encoding in the query string.", HINT);
                }
                bytes.write(value);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.validation(field, (field == null ? "A query parameter name" : "Query parameter \""
                    + field + "\"") + " is not valid UTF-8.", HINT);
        }
    }

    private static int hex(char high, char low) {
        int h = Character.digit(high, 16);
        int l = Character.digit(low, 16);
        return h < 0 || l < 0 ? -1 : h * 16 + l;
    }
}
