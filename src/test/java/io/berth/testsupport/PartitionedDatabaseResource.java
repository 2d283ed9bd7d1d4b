package io.berth.testsupport;

import java.util.HashMap;
import java.util.Map;

import io.berth.dev.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real PostgreSQL reached only through a {@link PartitionProxy}, which is handed to the test as
 * a {@code PartitionProxy} field, so the test can cut and heal the network to the database. The
 * application keeps its own database settings (timeouts, pool) from application.properties.
 */
public class PartitionedDatabaseResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedDatabase database;
    private PartitionProxy proxy;

    @Override
    public synchronized Map<String, String> start() {
        database = EmbeddedDatabase.start(0, null);
        proxy = new PartitionProxy(database.port());
        Map<String, String> config = new HashMap<>(database.datasourceConfig());
        config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres");
        config.putAll(TestConfig.common());
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(proxy, new TestInjector.MatchesType(PartitionProxy.class));
    }

    @Override
    public synchronized void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
