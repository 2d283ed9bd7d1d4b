package io.berth.dev;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** A throw-away RSA key pair for dev-mode tokens; it exists only inside the dev JVM. */
final class DevKeys {

    private DevKeys() {
    }

    /** Base64 of the X.509 public key and of the PKCS#8 private key. */
    static String[] generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Base64.Encoder base64 = Base64.getEncoder();
            return new String[] { base64.encodeToString(pair.getPublic().getEncoded()),
                    base64.encodeToString(pair.getPrivate().getEncoded()) };
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is part of every JVM", e);
        }
    }
}
