package io.berth.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signing as the <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> specification
 * says: the secret is {@code whsec_} + base64 of 24–64 random bytes; the signed content is
 * {@code <webhook-id>.<webhook-timestamp>.<body>}; the {@code webhook-signature} header is
 * {@code v1,} + base64 of its HMAC-SHA256 under the secret's bytes.
 */
public final class WebhookSignature {

    /** The prefix of a secret in the Standard Webhooks form. */
    public static final String PREFIX = "whsec_";

    private WebhookSignature() {
    }

    /**
     * The secret's key bytes.
     *
     * @throws IllegalArgumentException when it is not {@code whsec_} + base64 of 24–64 bytes
     */
    public static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("must be whsec_ followed by base64");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be whsec_ followed by base64");
        }
        if (key.length < 24 || key.length > 64) {
            throw new IllegalArgumentException("must encode 24 to 64 bytes, not " + key.length);
        }
        return key;
    }

    /**
     * The {@code webhook-signature} header value for one delivery.
     *
     * @param id        the {@code webhook-id} (the event id: the same on every attempt)
     * @param timestamp the {@code webhook-timestamp}, seconds since the epoch
     * @param body      the exact bytes sent
     */
    public static String sign(String secret, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
