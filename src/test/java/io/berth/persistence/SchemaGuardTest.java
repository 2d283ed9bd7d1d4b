package io.berth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The start-up guard of the Knative overlay against this test's PostgreSQL: the migrated schema
 * passes; an unmigrated, older or failed one is refused with what to run. Each case builds its own
 * history in a schema that only its transaction sees (rolled back).
 */
@QuarkusTest
class SchemaGuardTest {

    private static final Pattern MIGRATION = Pattern.compile("V([^_]+)__.+\\.sql");

    @Inject
    DataSource dataSource;

    @Test
    void currentVersionIsTheNewestMigration() throws IOException {
        List<String> versions;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            versions = files.map(f -> MIGRATION.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches).map(m -> m.group(1)).toList();
        }
        assertTrue(versions.size() >= SchemaGuard.CURRENT_VERSION, versions.toString());
        versions.forEach(v -> assertTrue(v.matches("[1-9][0-9]*"), "whole-number migration versions: V" + v));
        assertEquals(versions.stream().mapToInt(Integer::parseInt).max().orElseThrow(), SchemaGuard.CURRENT_VERSION,
                "SchemaGuard.CURRENT_VERSION names the newest migration");
    }

    @Test
    void acceptsTheMigratedSchema() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            SchemaGuard.verify(connection);
        }
    }

    @Test
    void refusesASchemaThatWasNeverMigrated() throws SQLException {
        String message = refusal(null);
        assertTrue(message.contains("has never been migrated"), message);
        assertTrue(message.contains("quarkus.flyway.migrate-at-start=true"), message);
    }

    @Test
    void refusesAnOlderSchema() throws SQLException {
        String message = refusal("(1, true), (" + (SchemaGuard.CURRENT_VERSION - 1) + ", true)");
        assertTrue(message.contains("is at version " + (SchemaGuard.CURRENT_VERSION - 1)), message);
        assertTrue(message.contains("needs version " + SchemaGuard.CURRENT_VERSION), message);
    }

    @Test
    void refusesAFailedMigrationEvenWhenTheCurrentOneIsThere() throws SQLException {
        String message = refusal("(" + SchemaGuard.CURRENT_VERSION + ", true), (" + (SchemaGuard.CURRENT_VERSION + 1) + ", false)");
        assertTrue(message.contains("failed migration (version " + (SchemaGuard.CURRENT_VERSION + 1) + ")"), message);
    }

    @Test
    void aVersionThatIsNotAWholeNumberIsNoObstacle() throws SQLException {
        inScratchSchema("('0.9', true), (" + SchemaGuard.CURRENT_VERSION + ", true)", SchemaGuard::verify);
        String message = refusal("('1.1', true)");
        assertTrue(message.contains("is at version 0"), message);
    }

    @Test
    void acceptsANewerSchema() throws SQLException {
        inScratchSchema("(" + SchemaGuard.CURRENT_VERSION + ", true), (" + (SchemaGuard.CURRENT_VERSION + 1) + ", true)",
                SchemaGuard::verify);
    }

    private String refusal(String history) throws SQLException {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> inScratchSchema(history, SchemaGuard::verify));
        return refused.getMessage();
    }

    interface Check {
        void run(Connection connection) throws SQLException;
    }

    /** Runs {@code check} with a schema whose history holds {@code rows} (none: no history table). */
    private void inScratchSchema(String rows, Check check) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement sql = connection.createStatement()) {
                sql.execute("create schema guard_scratch");
                sql.execute("set local search_path to guard_scratch");
                if (rows != null) {
                    sql.execute("create table flyway_schema_history (version varchar(50), success boolean not null)");
                    sql.execute("insert into flyway_schema_history (version, success) values (null, true), " + rows);
                }
                check.run(connection);
            } finally {
                connection.rollback();
            }
        }
    }
}
