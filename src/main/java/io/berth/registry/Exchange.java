package io.berth.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.registry.RegistryException.Kind;

/**
 * One answer of a registry or token service, its body read up to the caller's limit (empty for
 * HEAD), and how Berth reads such an answer: status to {@link RegistryException}, body to JSON.
 *
 * @param uri    the URI this hop was sent to (redirects are separate exchanges)
 * @param status the HTTP status; 5xx never gets here ({@link RegistryHttp} turns it into UNAVAILABLE)
 */
record Exchange(URI uri, int status, HttpHeaders headers, byte[] body) {

    String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    List<String> headerValues(String name) {
        return headers.allValues(name);
    }

    /** The Content-Type without parameters, or null when absent. */
    String mediaType() {
        String type = header("Content-Type");
        return type == null ? null : type.split(";")[0].trim();
    }

    /** The body as JSON; INVALID_RESPONSE naming {@code registry} when it is not JSON. */
    JsonNode json(ObjectMapper mapper, String registry) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new RegistryException(Kind.INVALID_RESPONSE, registry + " sent malformed JSON.");
        }
    }

    /**
     * The failure for a 429: RATE_LIMITED, retry after the {@code Retry-After} seconds (RFC 9110
     * §10.2.3), 60 when the registry does not say.
     */
    RegistryException rateLimited() {
        long retryAfter = retryAfterSeconds(header("Retry-After"));
        return new RegistryException(Kind.RATE_LIMITED, RegistryHost.hostAndPort(uri) + " is rate-limiting requests.",
                retryAfter > 0 ? retryAfter : 60, null);
    }

    /**
     * Returns on 2xx; otherwise throws what the status means for {@code what} of {@code ref}:
     * 404 NOT_FOUND, 403 DENIED, 429 RATE_LIMITED, anything else INVALID_RESPONSE.
     *
     * @param what {@code "manifest"}, {@code "repository"} or e.g. {@code "blob sha256:..."}, for the message
     */
    void expectFound(ImageReference ref, String what) {
        if (status >= 200 && status < 300) {
            return;
        }
        if (status == 404) {
            throw new RegistryException(Kind.NOT_FOUND, what.equals("manifest")
                    ? ref.familiarName() + ":" + ref.reference() + " was not found in " + ref.registry() + "."
                    : ref.familiarName() + " (" + what + ") was not found in " + ref.registry() + ".");
        }
        if (status == 403) {
            throw new RegistryException(Kind.DENIED, "Access to " + ref.familiarName() + " was denied (HTTP 403).");
        }
        if (status == 429) {
            throw rateLimited();
        }
        throw new RegistryException(Kind.INVALID_RESPONSE, ref.registry() + " answered HTTP " + status + " for "
                + ref.familiarName() + ".");
    }

    /** {@code Retry-After} (RFC 9110 §10.2.3) as delta-seconds or an HTTP-date: seconds from now, 0 when absent or unreadable. */
    static long retryAfterSeconds(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(1, Duration.between(ZonedDateTime.now(at.getZone()), at).toSeconds());
            } catch (RuntimeException unreadable) {
                return 0;
            }
        }
    }
}
