package io.berth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.berth.dev.EmbeddedDatabase;
import io.berth.testsupport.BerthProcess;
import io.berth.testsupport.TestConfig;
import io.berth.testsupport.Tokens;

/**
 * The Knative overlay's way of running Berth, with the packaged application (the native executable
 * when the build made one) against a new, empty PostgreSQL: the service (no migration, no Flyway
 * validation at start) refuses to start before the migration Job has run, the Job's run
 * (migrate-at-start, init-and-exit) migrates and exits 0, and then the service starts and serves.
 */
class MigrationJobIT {

    private static final Path OUT = Path.of("target", "migration-job-it");
    private static EmbeddedDatabase database;

    @BeforeAll
    static void emptyDatabase() throws Exception {
        Files.createDirectories(OUT);
        database = EmbeddedDatabase.start(0, null);
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void theServiceStartsOnlyOnceTheJobHasMigrated() throws Exception {
        BerthProcess early = BerthProcess.start("service-before-job", service(), OUT);
        assertTrue(early.process.waitFor(60, TimeUnit.SECONDS), "refuses to start:\n" + early.tail());
        assertNotEquals(0, early.process.exitValue());
        assertTrue(early.tail().contains("The database schema has never been migrated; this build needs version "
                + SchemaGuard.CURRENT_VERSION), early.tail());

        Map<String, String> jobConfig = config();
        jobConfig.put("quarkus.flyway.migrate-at-start", "true");
        jobConfig.put("quarkus.init-and-exit", "true");
        BerthProcess job = BerthProcess.start("migrate-job", jobConfig, OUT);
        assertTrue(job.process.waitFor(60, TimeUnit.SECONDS), "the job exits:\n" + job.tail());
        assertEquals(0, job.process.exitValue(), job.tail());

        BerthProcess service = BerthProcess.start("service-after-job", service(), OUT);
        try {
            service.awaitReady(Duration.ofSeconds(60));
            HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create(service.url("/api/environments")))
                    .header("Authorization", "Bearer " + Tokens.admin(java.util.UUID.randomUUID()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, list.statusCode(), list.body());
        } finally {
            service.stop();
        }
    }

    /** As k8s/overlays/knative/service.yaml runs it. */
    private static Map<String, String> service() {
        Map<String, String> config = config();
        config.put("quarkus.flyway.migrate-at-start", "false");
        config.put("quarkus.flyway.validate-at-start", "false");
        config.put("quarkus.hibernate-orm.schema-management.strategy", "none");
        return config;
    }

    private static Map<String, String> config() {
        Map<String, String> config = new TreeMap<>(TestConfig.common());
        config.putAll(database.datasourceConfig());
        return config;
    }
}
