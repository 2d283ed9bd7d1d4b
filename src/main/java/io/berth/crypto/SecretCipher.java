package io.berth.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * AES-256-GCM for secrets at rest. A ciphertext is {@code v1:<key-id>:<base64(iv | ciphertext | tag)>}:
 * the key id lets old rows be read after the active key changes. The caller's context (company
 * and field) is bound as associated data, so a ciphertext copied to another row or field fails to
 * decrypt instead of leaking there.
 */
@ApplicationScoped
public class SecretCipher {

    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private final String activeKey;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(CryptoConfig config) {
        for (String entry : config.keys().split(",")) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("berth.crypto.keys: expected <key-id>:<base64 key>, got an entry "
                        + "without a key id");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(trimmed.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("berth.crypto.keys: key " + trimmed.substring(0, colon)
                        + " is not base64", e);
            }
            if (key.length != 32) {
                throw new IllegalArgumentException("berth.crypto.keys: key " + trimmed.substring(0, colon)
                        + " must be 32 bytes (AES-256), not " + key.length);
            }
            keys.put(trimmed.substring(0, colon), new SecretKeySpec(key, "AES"));
        }
        if (!keys.containsKey(config.activeKey())) {
            throw new IllegalArgumentException("berth.crypto.active-key " + config.activeKey()
                    + " is not among berth.crypto.keys");
        }
        this.activeKey = config.activeKey();
    }

    /**
     * Encrypts with the active key: {@code v1:<key-id>:<base64(12-byte IV | ciphertext | 16-byte tag)>}.
     * {@code context} (e.g. {@code registry-connection:<company>:password}) is bound as associated
     * data and must be given again to decrypt. Null in, null out.
     */
    public String encrypt(String plaintext, String context) {
        if (plaintext == null) {
            return null;
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKey), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return PREFIX + activeKey + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * The plaintext of {@link #encrypt}'s output, with any configured key. Null in, null out.
     *
     * @throws IllegalStateException for an unknown format or key id, a wrong context or tampered
     *         data (the message never contains the secret)
     */
    public String decrypt(String ciphertext, String context) {
        if (ciphertext == null) {
            return null;
        }
        String[] parts = ciphertext.split(":", 3);
        if (parts.length != 3 || !(parts[0] + ":").equals(PREFIX) || !keys.containsKey(parts[1])) {
            throw new IllegalStateException("A stored secret uses an unknown format or key id "
                    + (parts.length > 1 ? parts[1] : "?") + "; is its key still in berth.crypto.keys?");
        }
        try {
            byte[] in = Base64.getDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, keys.get(parts[1]), new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("A stored secret could not be decrypted (wrong key or tampered data)", e);
        }
    }

    /** Whether a ciphertext was made with another key than the active one. */
    public boolean isStale(String ciphertext) {
        return ciphertext != null && !ciphertext.startsWith(PREFIX + activeKey + ":");
    }

    /** {@code v1:<active-key-id>:}, the prefix of every ciphertext made now; rows without it need re-encryption. */
    public String activeKeyPrefix() {
        return PREFIX + activeKey + ":";
    }
}
