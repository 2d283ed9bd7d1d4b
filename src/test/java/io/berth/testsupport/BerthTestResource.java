package io.berth.testsupport;

import java.util.HashMap;
import java.util.Map;

import io.berth.dev.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real PostgreSQL for the application under test (@QuarkusTest and the packaged jar of
 * @QuarkusIntegrationTest alike), plus {@link TestConfig#common()}.
 */
public class BerthTestResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedDatabase database;

    @Override
    public Map<String, String> start() {
        database = EmbeddedDatabase.start(0, null);
        Map<String, String> config = new HashMap<>(database.datasourceConfig());
        config.putAll(TestConfig.common());
        return config;
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
    }
}
