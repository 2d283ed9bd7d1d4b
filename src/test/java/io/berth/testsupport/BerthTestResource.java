package io.berth.testsupport;

import java.util.HashMap;
import java.util.Map;

import io.berth.dev.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real PostgreSQL for the application under test (@QuarkusTest and the packaged jar of
 * @QuarkusIntegrationTest alike), and the test JWT verification key and issuer.
 */
public class BerthTestResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedDatabase database;

    @Override
    public Map<String, String> start() {
        database = EmbeddedDatabase.start(0, null);
        Map<String, String> config = new HashMap<>(database.datasourceConfig());
        config.putAll(Tokens.verificationConfig());
        // Generous budget for the suites; RateLimitTest sets its own.
        config.put("berth.rate-limit.requests", "100000");
        return config;
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
    }
}
