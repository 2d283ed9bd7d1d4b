package io.berth.testsupport;

import java.util.HashMap;
import java.util.Map;

/** Configuration every test application gets, besides its database. */
public final class TestConfig {

    /** A fixed AES-256 key for the tests only (base64 of 32 bytes). */
    public static final String CRYPTO_KEY = "dGVzdC1rZXktZm9yLWJlcnRoLXRlc3RzLW9ubHktMzI=";

    private TestConfig() {
    }

    public static Map<String, String> common() {
        Map<String, String> config = new HashMap<>(Tokens.verificationConfig());
        // Generous budget for the suites; RateLimitTest sets its own.
        config.put("berth.rate-limit.requests", "100000");
        // The test registries listen on 127.0.0.1; every other internal address stays refused.
        config.put("berth.registry.allowed-private-hosts", "127.0.0.1");
        // Public images on the test registries are read without a connection, over plain HTTP.
        config.put("berth.registry.insecure-hosts", "127.0.0.1");
        config.put("berth.registry.connect-timeout", "1s");
        config.put("berth.registry.read-timeout", "2s");
        config.put("berth.registry.circuit-open-delay", "2s");
        config.put("berth.registry.tags-page-size", "10");
        config.put("berth.registry.max-tags", "60");
        // Tests run auto-update rounds themselves (AutoUpdaterTest), never behind another test's back.
        config.put("berth.auto-update.enabled", "false");
        // Webhook receivers started by the tests listen on 127.0.0.1 over plain HTTP; retries come quickly.
        config.put("berth.webhooks.allowed-private-hosts", "127.0.0.1");
        config.put("berth.webhooks.insecure-hosts", "127.0.0.1");
        config.put("berth.webhooks.first-retry", "1s");
        config.put("berth.webhooks.timeout", "2s");
        config.put("berth.crypto.keys", "test1:" + CRYPTO_KEY);
        config.put("berth.crypto.active-key", "test1");
        return config;
    }
}
