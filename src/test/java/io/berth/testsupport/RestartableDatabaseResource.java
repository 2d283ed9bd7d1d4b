package io.berth.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.berth.dev.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real PostgreSQL the test can stop and start again on the same port with the same data. It is
 * handed to the test as a {@code Consumer<Boolean>} field: accept(false) stops it, accept(true)
 * starts it.
 */
public class RestartableDatabaseResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedDatabase database;
    private int port;
    private Path dataDirectory;

    @Override
    public synchronized Map<String, String> start() {
        try {
            dataDirectory = Files.createTempDirectory("berth-outage-db");
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        database = EmbeddedDatabase.start(port, dataDirectory);
        Map<String, String> config = new HashMap<>(database.datasourceConfig());
        config.putAll(TestConfig.common());
        return config;
    }

    private synchronized void running(boolean up) {
        if (up && database == null) {
            database = EmbeddedDatabase.start(port, dataDirectory);
        } else if (!up && database != null) {
            database.close();
            database = null;
        }
    }

    @Override
    public void inject(TestInjector injector) {
        Consumer<Boolean> control = this::running;
        injector.injectIntoFields(control, new TestInjector.MatchesType(Consumer.class));
    }

    @Override
    public void stop() {
        running(false);
    }
}
