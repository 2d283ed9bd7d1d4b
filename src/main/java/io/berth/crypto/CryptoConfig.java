package io.berth.crypto;

import io.smallrye.config.ConfigMapping;

/** Keys that encrypt stored registry secrets. Required: Berth does not start without them. */
@ConfigMapping(prefix = "berth.crypto")
public interface CryptoConfig {

    /**
     * Comma-separated {@code <key-id>:<base64 of 32 random bytes>} entries, e.g. from
     * {@code openssl rand -base64 32}. Keep retired keys listed until nothing is encrypted with them.
     */
    String keys();

    /** The id of the key new secrets are encrypted with. */
    String activeKey();
}
