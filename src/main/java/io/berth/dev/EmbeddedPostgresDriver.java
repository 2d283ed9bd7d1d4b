package io.berth.dev;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;


/**
 * Dev mode's JDBC driver ({@code %dev.quarkus.datasource.jdbc.driver}): the URL
 * {@value #EMBEDDED_URL} starts a real PostgreSQL from Zonky's binaries on first use and connects
 * to it; any other {@code jdbc:postgresql:} URL (a developer's own database, set with
 * {@code QUARKUS_DATASOURCE_JDBC_URL}) goes straight to the PostgreSQL driver.
 *
 * <p>The started server lives as long as the dev JVM: its URL is kept in a system property, so
 * live reloads (which load this class anew) reuse it with its data. Only the dev profile names
 * this class; production builds leave the {@code io.berth.dev} package out entirely
 * ({@code quarkus.package.jar.user-configured-ignored-entries}, checked by ProductionBuildIT).
 */
public final class EmbeddedPostgresDriver implements Driver {

    /** The dev profile's datasource URL. */
    public static final String EMBEDDED_URL = "jdbc:berth-embedded:postgresql";
    private static final String STARTED_URL = "berth.dev.embedded-postgresql.url";

    /** Not io.quarkus.logging.Log: its build-time rewrite would put this class into production builds. */
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(EmbeddedPostgresDriver.class);

    private final Driver postgres = new org.postgresql.Driver();

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (url == null) {
            return null;
        }
        return postgres.connect(EMBEDDED_URL.equals(url) ? embeddedUrl() : url, info);
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return EMBEDDED_URL.equals(url) || postgres.acceptsURL(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return postgres.getPropertyInfo(EMBEDDED_URL.equals(url) ? embeddedUrl() : url, info);
    }

    @Override
    public int getMajorVersion() {
        return postgres.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return postgres.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return postgres.jdbcCompliant();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return postgres.getParentLogger();
    }

    /** The JDBC URL of the dev JVM's embedded server, started on the first call. */
    static synchronized String embeddedUrl() {
        String url = System.getProperty(STARTED_URL);
        if (url == null) {
            url = EmbeddedDatabase.start(0, null).jdbcUrl();
            System.setProperty(STARTED_URL, url);
            LOG.infof("Dev mode: started an embedded PostgreSQL (%s); it lives as long as this JVM", url);
        }
        return url;
    }
}
