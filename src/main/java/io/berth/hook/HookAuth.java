package io.berth.hook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Whether a notification carries a connection's webhook secret, in one of the forms registries can
 * send: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret>}
 * (GitHub), else {@code Authorization: Bearer <secret>} (Distribution's endpoint headers, Harbor
 * with "Bearer"), {@code Authorization: <secret>} (Harbor's auth header as typed), or the query
 * parameter {@code token=<secret>} (Docker Hub, Quay). A signature header, when present, is the
 * only credential looked at. Every comparison takes the same time whatever matches
 * ({@link MessageDigest#isEqual} over SHA-256 digests, so lengths do not show either).
 */
final class HookAuth {

    static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    private static final String SIGNATURE_PREFIX = "sha256=";

    private HookAuth() {
    }

    /** The credentials a request presented; any may be null. */
    record Presented(String signature, String authorization, String token) {
        @Override
        public String toString() {
            return "Presented[...]"; // never the credentials
        }
    }

    /**
     * Whether {@code presented} proves knowledge of {@code secret}. Run with a random stand-in
     * secret for unknown connections, so they cost the same and answer the same.
     */
    static boolean authentic(String secret, Presented presented, byte[] body) {
        if (presented.signature() != null) {
            String given = presented.signature().trim().toLowerCase(Locale.ROOT);
            String expected = SIGNATURE_PREFIX + HexFormat.of().formatHex(hmac(secret, body));
            return same(given, expected);
        }
        String credential = credential(presented);
        return credential != null && same(credential, secret);
    }

    /** The bearer token, the bare Authorization value, or the URL token. */
    private static String credential(Presented presented) {
        String authorization = presented.authorization() == null ? null : presented.authorization().trim();
        if (authorization != null && !authorization.isEmpty()) {
            return authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : authorization;
        }
        return presented.token();
    }

    /** HMAC-SHA256 of {@code body} under the secret's UTF-8 bytes, as GitHub computes it. */
    static byte[] hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
        }
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(sha256(a), sha256(b));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
