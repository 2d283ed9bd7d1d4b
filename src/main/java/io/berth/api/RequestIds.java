package io.berth.api;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import org.jboss.logging.MDC;

/**
 * Request ids: the client's own when it is a sane token, else {@code req_} + a ULID. The id of the
 * request being served lives in the logging MDC, which Quarkus keeps on the request's Vert.x
 * context, so it follows the request onto worker threads and into every log line.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private RequestIds() {
    }

    /** The client's id when it is safe to echo and log, otherwise a fresh one. */
    public static String acceptOrGenerate(String fromClient) {
        return fromClient != null && SANE.matcher(fromClient).matches() ? fromClient : generate();
    }

    public static String generate() {
        return "req_" + ulid(System.currentTimeMillis());
    }

    /** The id of the request on this thread's context, or a fresh one outside any request. */
    public static String current() {
        Object id = MDC.get(MDC_KEY);
        return id != null ? id.toString() : generate();
    }

    /** 26 Crockford base-32 characters: 48 bits of milliseconds, then 80 random bits. */
    public static String ulid(long millis) {
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (millis & 31)];
            millis >>>= 5;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong() & 0xFFFFFFFFFFL; // 40 bits
        long low = random.nextLong() & 0xFFFFFFFFFFL; // 40 bits
        for (int i = 17; i >= 10; i--) {
            out[i] = CROCKFORD[(int) (high & 31)];
            high >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = CROCKFORD[(int) (low & 31)];
            low >>>= 5;
        }
        return new String(out);
    }
}
