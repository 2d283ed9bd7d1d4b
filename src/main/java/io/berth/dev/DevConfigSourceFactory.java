package io.berth.dev;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Dev mode only ({@code ./mvnw quarkus:dev}): when no datasource URL is configured, starts an
 * embedded PostgreSQL; when no JWT key is configured, makes a dev key pair and the issuer
 * {@value #DEV_ISSUER}; when no secret-encryption key is configured, makes one. Both live for the life of the dev JVM (kept in system properties so live
 * reloads reuse them). In any other launch mode this contributes nothing, so a packaged
 * application never accepts a dev token and never starts a database.
 */
public class DevConfigSourceFactory implements ConfigSourceFactory {

    public static final String DEV_ISSUER = "berth-dev";
    static final String PUBLIC_KEY = "berth.dev.jwt.public-key";
    static final String PRIVATE_KEY = "berth.dev.jwt.private-key";
    private static final String DB_URL = "berth.dev.db.url";
    private static final String SECRET_KEY = "berth.dev.crypto.key";
    /** Below application.properties (250), so anything a developer configures wins. */
    private static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (LaunchMode.current() != LaunchMode.DEVELOPMENT) {
            return List.of();
        }
        Map<String, String> config = new HashMap<>();
        if (context.getValue("quarkus.datasource.jdbc.url").getValue() == null) {
            config.put("quarkus.datasource.jdbc.url", devDatabaseUrl());
            config.put("quarkus.datasource.username", "postgres");
            config.put("quarkus.datasource.password", "postgres");
        }
        if (context.getValue("mp.jwt.verify.publickey.location").getValue() == null
                && context.getValue("mp.jwt.verify.publickey").getValue() == null) {
            devKeys();
            config.put("mp.jwt.verify.publickey", System.getProperty(PUBLIC_KEY));
            config.put("mp.jwt.verify.issuer", DEV_ISSUER);
            config.put("smallrye.jwt.sign.key", System.getProperty(PRIVATE_KEY));
            config.put("smallrye.jwt.new-token.issuer", DEV_ISSUER);
        }
        if (context.getValue("berth.crypto.keys").getValue() == null) {
            config.put("berth.crypto.keys", "dev:" + devSecretKey());
            config.put("berth.crypto.active-key", "dev");
        }
        return List.of(new PropertiesConfigSource(config, "berth-dev-defaults", ORDINAL));
    }

    private static synchronized String devDatabaseUrl() {
        String url = System.getProperty(DB_URL);
        if (url == null) {
            // By a computed name: the embedded database exists only on the dev class path, and the
            // native build would try to link a class named by a constant (and fail without Zonky).
            try {
                Object database = Class.forName(DevConfigSourceFactory.class.getPackageName() + ".EmbeddedDatabase")
                        .getMethod("start", int.class, java.nio.file.Path.class).invoke(null, 0, null);
                url = (String) database.getClass().getMethod("jdbcUrl").invoke(database);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Dev mode could not start the embedded PostgreSQL; "
                        + "set QUARKUS_DATASOURCE_JDBC_URL to use your own", e);
            }
            System.setProperty(DB_URL, url);
        }
        return url;
    }

    /** A random AES-256 key for the secrets of the (equally short-lived) dev database. */
    private static synchronized String devSecretKey() {
        if (System.getProperty(SECRET_KEY) == null) {
            byte[] key = new byte[32];
            new java.security.SecureRandom().nextBytes(key);
            System.setProperty(SECRET_KEY, java.util.Base64.getEncoder().encodeToString(key));
        }
        return System.getProperty(SECRET_KEY);
    }

    private static synchronized void devKeys() {
        if (System.getProperty(PUBLIC_KEY) == null) {
            String[] keys = DevKeys.generate();
            System.setProperty(PUBLIC_KEY, keys[0]);
            System.setProperty(PRIVATE_KEY, keys[1]);
        }
    }
}
