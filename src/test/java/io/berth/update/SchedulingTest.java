package io.berth.update;

import static io.berth.testsupport.Api.as;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.ImagePusher;
import io.berth.testsupport.Registries;
import io.berth.testsupport.RegistryProxy;
import io.berth.testsupport.TokenServer;
import io.berth.testsupport.Tokens;
import io.restassured.RestAssured;
import io.quarkus.test.junit.QuarkusTest;

/**
 * How the scheduler spends a registry's budget, watched at a real registry through a proxy that
 * logs every request: checks run in parallel across hosts and at most 4 at once per host; a host
 * that answered 429 or whose ratelimit-remaining is under the reserve is deferred, not failed; and
 * re-checking an unchanged image costs one tag page plus one HEAD (semver), one HEAD (digest).
 */
@QuarkusTest
class SchedulingTest {

    @Inject
    AutoUpdater updater;
    @Inject
    EntityManager em;

    private String admin;
    private String environment;

    @BeforeEach
    void company() {
        admin = Tokens.admin(Api.newCompany());
        environment = Api.createEnvironment(admin, "scheduling");
    }

    private String track(RegistryProxy proxy, String repository, Map<String, Object> extra) {
        return track(environment, proxy, repository, extra);
    }

    private String track(String environment, RegistryProxy proxy, String repository, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "i-" + UUID.randomUUID().toString().substring(0, 8),
                "imageName", proxy.host() + "/" + repository, "tagFilter", "1.*", "autoUpdate", true));
        body.putAll(extra);
        return as(admin).body(body).post("/api/environments/" + environment + "/container-images").then()
                .statusCode(201).body("lastCheckError", nullValue()).extract().path("id");
    }

    private static String repository(String prefix) {
        String repository = "public/" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Registries.pusher(Registries.ANONYMOUS).push(repository, "1.0.0", ImagePusher.Image.linux(), ImagePusher.OCI_MANIFEST);
        return repository;
    }

    @Test
    void checksRunInParallelAcrossHostsAndAtMostFourAtOncePerHost() throws Exception {
        try (RegistryProxy a = new RegistryProxy(Registries.ANONYMOUS); RegistryProxy b = new RegistryProxy(Registries.ANONYMOUS)) {
            List<String> images = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                images.add(track(a, repository("par-a"), Map.of()));
                images.add(track(b, repository("par-b"), Map.of()));
            }
            images.forEach(id -> makeDue(UUID.fromString(id)));
            a.delay(Duration.ofMillis(150));
            b.delay(Duration.ofMillis(150));
            a.maxInFlight.set(0);
            b.maxInFlight.set(0);
            AtomicBoolean together = new AtomicBoolean();
            AtomicBoolean done = new AtomicBoolean();
            Thread watch = new Thread(() -> {
                while (!done.get()) {
                    if (a.inFlight() > 0 && b.inFlight() > 0) {
                        together.set(true);
                    }
                    Thread.onSpinWait();
                }
            });
            watch.start();
            try {
                updater.runDue();
            } finally {
                done.set(true);
                watch.join();
            }
            assertEquals(4, a.maxInFlight.get(), "checks of one host at once");
            assertEquals(4, b.maxInFlight.get(), "checks of one host at once");
            assertTrue(together.get(), "the two hosts were never checked at the same time");
            for (String id : images) {
                as(admin).get("/api/container-images/" + id).then().statusCode(200)
                        .body("lastCheckError", nullValue())
                        .body("nextCheckAt", org.hamcrest.Matchers.notNullValue());
            }
        }
    }

    @Test
    void aHostThatAnswered429IsDeferredUntilRetryAfterAndItsImagesAreNotFailed() {
        try (RegistryProxy proxy = new RegistryProxy(Registries.ANONYMOUS)) {
            List<String> images = List.of(track(proxy, repository("quota"), Map.of()),
                    track(proxy, repository("quota"), Map.of()));
            images.forEach(id -> makeDue(UUID.fromString(id)));
            proxy.tooManyRequests("120");
            OffsetDateTime before = OffsetDateTime.now();
            updater.runDue();
            for (String id : images) {
                var image = as(admin).get("/api/container-images/" + id).then().statusCode(200)
                        .body("lastCheckError", nullValue()).extract().jsonPath();
                OffsetDateTime next = OffsetDateTime.parse(image.getString("nextCheckAt"));
                assertTrue(next.isAfter(before.plusSeconds(115)) && next.isBefore(before.plusSeconds(150)),
                        "deferred to Retry-After, not to the interval: " + next);
                assertEquals(0, failures(UUID.fromString(id)));
            }
            // due again before Retry-After has passed: the host is not asked at all
            long asked = proxy.requests.get();
            images.forEach(id -> makeDue(UUID.fromString(id)));
            updater.runDue();
            assertEquals(asked, proxy.requests.get(), "a rate-limited host was asked before its Retry-After");
            assertThat(metrics(), containsString("berth_auto_update_checks_total{outcome=\"deferred\"}"));
        }
    }

    @Test
    void aHostUnderItsRateLimitReserveIsNotAsked() {
        try (RegistryProxy proxy = new RegistryProxy(Registries.ANONYMOUS)) {
            proxy.rateLimitHeaders(true);
            proxy.rateLimitRemaining(3); // reserve 10; 100 per 21,600 s: 7 requests return in 7 × 216 s
            String id = track(proxy, repository("reserve"), Map.of());
            makeDue(UUID.fromString(id));
            long asked = proxy.requests.get();
            OffsetDateTime before = OffsetDateTime.now();
            updater.runDue();
            assertEquals(asked, proxy.requests.get(), "a host under its reserve was asked");
            var image = as(admin).get("/api/container-images/" + id).then().body("lastCheckError", nullValue())
                    .extract().jsonPath();
            OffsetDateTime next = OffsetDateTime.parse(image.getString("nextCheckAt"));
            assertTrue(next.isAfter(before.plusSeconds(7 * 216 - 10)) && next.isBefore(before.plusSeconds(7 * 216 * 11 / 10 + 10)),
                    "deferred until the window frees the reserve: " + next);
        }
    }

    @Test
    void anUnchangedImageCostsOneTagPageAndOneHeadWithAWarmToken() {
        try (RegistryProxy proxy = new RegistryProxy(Registries.TOKEN)) {
            String connection = as(admin).body(Map.of("name", "tok-" + UUID.randomUUID().toString().substring(0, 8),
                    "registryUrl", proxy.host(), "insecure", true, "username", TokenServer.USER,
                    "password", TokenServer.PASSWORD)).post("/api/registries").then().statusCode(201).extract().path("id");
            String repository = "private/cost-" + UUID.randomUUID().toString().substring(0, 8);
            ImagePusher pusher = Registries.pusher(Registries.TOKEN);
            pusher.push(repository, "1.0.0", ImagePusher.Image.linux(), ImagePusher.OCI_MANIFEST);
            pusher.pushIndex(repository, "1.1.0", ImagePusher.OCI_INDEX, ImagePusher.Image.linux(),
                    new ImagePusher.Image("linux", "arm64", List.of(), Map.of(), null));
            pusher.push(repository, "latest", ImagePusher.Image.linux("8080/tcp"), ImagePusher.OCI_MANIFEST);
            String semver = track(proxy, repository, Map.of("registryConnectionId", connection));
            // the same repository in another environment (one tracked image per repository and environment)
            String digest = track(Api.createEnvironment(admin, "digest"), proxy, repository, Map.of("registryConnectionId", connection, "tagFilter", "latest",
                    "updateStrategy", "digest"));
            as(admin).body(Map.of("name", "web-" + UUID.randomUUID().toString().substring(0, 8),
                    "source", Map.of("containerRegistryId", connection, "image", Map.of("name", proxy.host() + "/" + repository, "tag", "1.1.0"))))
                    .post("/api/environments/" + environment + "/app").then().statusCode(201);

            long tokens = Registries.TOKENS.requests.get();
            proxy.log.clear();
            check(semver);
            assertEquals(List.of("GET /v2/" + repository + "/tags/list", "HEAD /v2/" + repository + "/manifests/1.1.0"),
                    List.copyOf(proxy.log), "an unchanged semver image");
            proxy.log.clear();
            check(digest);
            assertEquals(List.of("HEAD /v2/" + repository + "/manifests/latest"), List.copyOf(proxy.log),
                    "an unchanged image with the digest strategy");
            assertEquals(tokens, Registries.TOKENS.requests.get(), "the token was not warm");

            assertThat(metrics(), containsString("berth_registry_requests_total{host=\"" + proxy.host() + "\",status=\"200\"}"));
        }
    }

    @Test
    void aFailingRegistryMovesNothingRecordsTheErrorAndBacksOff() {
        String repository = repository("gone");
        RegistryProxy proxy = new RegistryProxy(Registries.ANONYMOUS);
        String id = track(proxy, repository, Map.of());
        String app = as(admin).body(Map.of("name", "web-" + UUID.randomUUID().toString().substring(0, 8),
                "source", Map.of("image", Map.of("name", proxy.host() + "/" + repository, "tag", "1.0.0"))))
                .post("/api/environments/" + environment + "/app").then().statusCode(201).extract().path("id");
        Registries.pusher(Registries.ANONYMOUS).push(repository, "1.1.0", ImagePusher.Image.linux("9090/tcp"),
                ImagePusher.OCI_MANIFEST);
        proxy.close(); // the registry is gone: connections are refused

        for (int failures = 1; failures <= 2; failures++) {
            makeDue(UUID.fromString(id));
            OffsetDateTime before = OffsetDateTime.now();
            updater.runDue();
            var image = as(admin).get("/api/container-images/" + id).then().statusCode(200).extract().jsonPath();
            assertThat(image.getString("lastCheckError"), containsString(proxy.host()));
            assertEquals(failures, failures(UUID.fromString(id)));
            // 30 minutes (no connection), doubled per failure in a row after the first, ±10 %
            long minutes = 30L << (failures - 1);
            OffsetDateTime next = OffsetDateTime.parse(image.getString("nextCheckAt"));
            assertTrue(next.isAfter(before.plusSeconds(minutes * 54)) && next.isBefore(before.plusSeconds(minutes * 66 + 5)),
                    "after " + failures + " failures: " + next);
            as(admin).get("/api/environments/" + environment + "/app/" + app).then().statusCode(200)
                    .body("source.image.tag", org.hamcrest.Matchers.equalTo("1.0.0"))
                    .body("version", org.hamcrest.Matchers.equalTo(1));
        }
    }

    private void check(String image) {
        as(admin).post("/api/container-images/" + image + "/check-updates").then().statusCode(200)
                .body("lastCheckError", nullValue());
    }

    private static String metrics() {
        return RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @Transactional
    void makeDue(UUID id) {
        em.createNativeQuery("update container_images set next_check_at = now() - interval '1 minute' where id = ?1")
                .setParameter(1, id).executeUpdate();
    }

    @Transactional
    int failures(UUID id) {
        return ((Number) em.createNativeQuery("select consecutive_failures from container_images where id = ?1")
                .setParameter(1, id).getSingleResult()).intValue();
    }
}
