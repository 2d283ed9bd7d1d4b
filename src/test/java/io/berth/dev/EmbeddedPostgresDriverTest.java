package io.berth.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** Dev mode's driver: the embedded URL starts a real PostgreSQL once; other URLs go to pgjdbc. */
class EmbeddedPostgresDriverTest {

    private final EmbeddedPostgresDriver driver = new EmbeddedPostgresDriver();

    @Test
    void acceptsTheEmbeddedUrlAndPostgresUrlsOnly() throws SQLException {
        assertTrue(driver.acceptsURL(EmbeddedPostgresDriver.EMBEDDED_URL));
        assertTrue(driver.acceptsURL("jdbc:postgresql://db.example.com:5432/berth"));
        assertFalse(driver.acceptsURL("jdbc:h2:mem:berth"));
        assertFalse(driver.acceptsURL("jdbc:berth-embedded:mysql"));
    }

    @Test
    void theEmbeddedUrlReachesOneRealServerForTheLifeOfTheJvm() throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", "postgres");
        login.setProperty("password", "postgres");
        try (Connection first = driver.connect(EmbeddedPostgresDriver.EMBEDDED_URL, login)) {
            first.createStatement().execute("create table if not exists dev_probe (n int)");
            first.createStatement().execute("insert into dev_probe values (42)");
        }
        // a live reload loads the driver anew: it must find the same server and its data
        try (Connection again = new EmbeddedPostgresDriver().connect(EmbeddedPostgresDriver.EMBEDDED_URL, login);
                ResultSet rows = again.createStatement().executeQuery("select count(*) from dev_probe where n = 42")) {
            rows.next();
            assertEquals(1, rows.getInt(1));
        }
    }
}
