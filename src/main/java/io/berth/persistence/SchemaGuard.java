package io.berth.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses to start on a database schema older than this build when Flyway neither migrates nor
 * validates at start — the Knative overlay, where a Job migrates and each cold start must be short.
 *
 * <p>Flyway's {@code validate} would also do, but costs a cold start about 30 ms (it initialises
 * Flyway, reads and checksums every migration); checksums are verified where it matters, by the
 * migrating run ({@code validateOnMigrate}). This guard asks one question of
 * {@code flyway_schema_history}: has this build's newest migration been applied, and has none
 * failed? A newer schema is accepted, as by Flyway's default {@code ignoreMigrationPatterns=*:future}
 * (an older build rolled back to after a migration). The connection it opens stays in the pool for the
 * first request. With migrate-at-start or validate-at-start on (the default), Flyway has checked more
 * and this does nothing.
 */
@ApplicationScoped
public class SchemaGuard {

    /**
     * The version of the newest migration in {@code src/main/resources/db/migration};
     * SchemaGuardTest fails when a migration is added without raising it.
     */
    public static final int CURRENT_VERSION = 11;

    void onStart(@Observes StartupEvent started, DataSource dataSource,
            @ConfigProperty(name = "quarkus.flyway.migrate-at-start") boolean migrateAtStart,
            @ConfigProperty(name = "quarkus.flyway.validate-at-start", defaultValue = "false") boolean validateAtStart) {
        if (migrateAtStart || validateAtStart) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            verify(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the database's migration history to check the schema: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Checks the schema {@code connection} sees.
     *
     * @throws IllegalStateException naming what is wrong and what to run, when there is no migration
     *         history, a migration failed, or {@link #CURRENT_VERSION} has not been applied
     * @throws SQLException when the history cannot be read for another reason (e.g. the database is down)
     */
    public static void verify(Connection connection) throws SQLException {
        int newest = 0;
        boolean current = false;
        String failed = null;
        try (Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery(
                        "select version, success from flyway_schema_history where version is not null")) {
            while (rows.next()) {
                String version = rows.getString(1);
                if (!rows.getBoolean(2)) {
                    failed = version;
                } else if (version.matches("[0-9]{1,9}")) { // Berth's are whole numbers; a baseline may not be
                    newest = Math.max(newest, Integer.parseInt(version));
                    current |= Integer.parseInt(version) == CURRENT_VERSION;
                }
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // undefined_table: says it all, no cause to chain
                throw new IllegalStateException(notCurrent("has never been migrated"));
            }
            throw e;
        }
        if (failed != null) {
            throw new IllegalStateException(notCurrent("has a failed migration (version " + failed + ")"));
        }
        if (!current) {
            throw new IllegalStateException(notCurrent("is at version " + newest));
        }
    }

    private static String notCurrent(String state) {
        return "The database schema " + state + "; this build needs version " + CURRENT_VERSION
                + ". Run the migrations first (quarkus.flyway.migrate-at-start=true with quarkus.init-and-exit=true,"
                + " as the berth-migrate Job of the Knative overlay does).";
    }
}
