package io.berth.hook;

import static io.berth.testsupport.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.ImagePusher;
import io.berth.testsupport.RegistryServer;
import io.berth.testsupport.TestFiles;
import io.berth.testsupport.Tokens;
import io.berth.update.AutoUpdater;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * The whole way, with nothing played: a real CNCF Distribution registry configured as the README
 * says (notifications endpoint = the URL Berth answered, {@code Authorization: Bearer <secret>},
 * blobs and pulls ignored), an image pushed through the registry's HTTP API, and the linked application on
 * the new tag within seconds, while the scheduled auto-update rounds are an hour away
 * ({@link HookProfile}).
 */
@QuarkusTest
@TestProfile(HookProfile.class)
class RegistryNotificationsTest {

    private static final Duration WITHIN = Duration.ofSeconds(10);

    @Test
    void aPushToARealRegistryMovesTheApplicationWithinSeconds() throws Exception {
        String admin = Tokens.admin(Api.newCompany());
        String environment = Api.createEnvironment(admin, "notified");
        int port = TestFiles.freePort();
        String host = "127.0.0.1:" + port;
        String connection = as(admin).body(Map.of("name", "distribution", "registryUrl", host, "insecure", true))
                .post("/api/registries").then().statusCode(201).extract().path("id");
        JsonPath hook = as(admin).post("/api/registries/" + connection + "/webhook-secret").then().statusCode(200)
                .extract().jsonPath();
        String notifications = """
                notifications:
                  endpoints:
                    - name: berth
                      url: %s
                      headers:
                        Authorization: [Bearer %s]
                      timeout: 2s
                      threshold: 3
                      backoff: 1s
                      ignore:
                        mediatypes: [application/octet-stream]
                        actions: [pull]
                """.formatted(hook.getString("url"), hook.getString("secret"));
        try (RegistryServer registry = new RegistryServer(port, notifications)) {
            ImagePusher pusher = new ImagePusher(registry, null);
            String repository = "team/app-" + UUID.randomUUID().toString().substring(0, 8);
            pusher.push(repository, "1.0.0", image("1.0.0"), ImagePusher.OCI_MANIFEST);
            as(admin).body(Map.of("name", "app", "imageName", host + "/" + repository, "tagFilter", "1.*",
                    "registryConnectionId", connection, "autoUpdate", true))
                    .post("/api/environments/" + environment + "/container-images").then().statusCode(201)
                    .body("bestTag", equalTo("1.0.0"));
            String app = as(admin).body(Map.of("name", "web", "source", Map.of("image",
                    Map.of("name", host + "/" + repository, "tag", "1.0.0"), "containerRegistryId", connection)))
                    .post("/api/environments/" + environment + "/app").then().statusCode(201).extract().path("id");
            double scheduledChecks = checks();

            long pushed = System.nanoTime();
            String digest = pusher.push(repository, "1.1.0", image("1.1.0"), ImagePusher.OCI_MANIFEST);
            JsonPath view;
            do {
                Thread.sleep(100);
                view = as(admin).get("/api/environments/" + environment + "/app/" + app).then().statusCode(200)
                        .extract().jsonPath();
                assertTrue(System.nanoTime() - pushed < WITHIN.toNanos(), "the application is still on "
                        + view.getString("source.image.tag") + " " + WITHIN.toSeconds() + " s after the push");
            } while (!"1.1.0".equals(view.getString("source.image.tag")));
            assertEquals(digest, view.getString("source.image.digest"));
            assertEquals(AutoUpdater.SUBJECT, view.getString("modifiedBy"));
            // exactly the one check the notification asked for ran (the scheduler's rounds are an hour away)
            assertEquals(scheduledChecks + 1, checks());
        }
    }

    private static ImagePusher.Image image(String build) {
        return new ImagePusher.Image("linux", "amd64", List.of("8080/tcp"), Map.of("build", build), "2026-01-02T03:04:05Z");
    }

    /** berth_auto_update_checks_total{outcome="ok"}: checks the auto-updater ran. */
    private static double checks() {
        String prefix = "berth_auto_update_checks_total{outcome=\"ok\"} ";
        return RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst().orElse(0);
    }
}
