package io.berth.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static final String K1 = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    private static SecretCipher cipher(String keys, String active) {
        return new SecretCipher(new CryptoConfig() {
            @Override
            public String keys() {
                return keys;
            }

            @Override
            public String activeKey() {
                return active;
            }
        });
    }

    @Test
    void roundTripsWithoutRevealingThePlaintext() {
        SecretCipher cipher = cipher("k1:" + K1, "k1");
        String sealed = cipher.encrypt("hunter2-secret", "company-a:password");
        assertTrue(sealed.startsWith("v1:k1:"));
        assertFalse(sealed.contains("hunter2"));
        assertNotEquals(sealed, cipher.encrypt("hunter2-secret", "company-a:password"), "a fresh IV each time");
        assertEquals("hunter2-secret", cipher.decrypt(sealed, "company-a:password"));
    }

    @Test
    void aCiphertextMovedToAnotherCompanyOrFieldDoesNotDecrypt() {
        SecretCipher cipher = cipher("k1:" + K1, "k1");
        String sealed = cipher.encrypt("s", "company-a:password");
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, "company-b:password"));
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, "company-a:token"));
        String tampered = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(tampered, "company-a:password"));
    }

    @Test
    void rotationKeepsOldSecretsReadable() {
        String old = cipher("k1:" + K1, "k1").encrypt("s", "ctx");
        SecretCipher rotated = cipher("k1:" + K1 + ",k2:" + K2, "k2");
        assertEquals("s", rotated.decrypt(old, "ctx"));
        assertTrue(rotated.isStale(old));
        assertFalse(rotated.isStale(rotated.encrypt("s", "ctx")));
        assertThrows(IllegalStateException.class, () -> cipher("k2:" + K2, "k2").decrypt(old, "ctx"), "retired key gone");
    }

    @Test
    void badKeyConfigurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> cipher("k1:" + Base64.getEncoder().encodeToString(new byte[16]), "k1"));
        assertThrows(IllegalArgumentException.class, () -> cipher("k1:" + K1, "k2"));
        assertThrows(IllegalArgumentException.class, () -> cipher(K1, "k1"));
        assertThrows(IllegalArgumentException.class, () -> cipher("k1:not base64!", "k1"));
    }
}
