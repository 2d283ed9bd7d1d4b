package io.berth.hook;

import static io.berth.testsupport.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.ImagePusher;
import io.berth.testsupport.Registries;
import io.berth.testsupport.TokenServer;
import io.berth.testsupport.Tokens;
import io.berth.update.AutoUpdater;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * {@code POST /api/hooks/registries/{connectionId}} over HTTP against a real registry with Basic
 * auth (so every confirmation goes through the connection's credentials): each registry's
 * notification moves a linked application within seconds with no scheduled round (they are an hour
 * away, {@link HookProfile}); refusals look alike; replays, bodies, budgets, deduplication and
 * hints left by a replica that died.
 */
@QuarkusTest
@TestProfile(HookProfile.class)
class RegistryHooksTest {

    private static final Duration WITHIN = Duration.ofSeconds(15);

    @Inject
    HintWorker worker;
    @Inject
    EntityManager em;

    private final ImagePusher pusher = Registries.pusher(Registries.BASIC);
    private final String host = Registries.BASIC.host();
    private String admin;
    private String environment;
    private String connection;
    private String secret;
    private String url;
    private String repository;

    @BeforeEach
    void setUp() {
        admin = Tokens.admin(Api.newCompany());
        environment = Api.createEnvironment(admin, "hooks");
        connection = as(admin).body(Map.of("name", "private", "registryUrl", host, "insecure", true,
                "username", TokenServer.USER, "password", TokenServer.PASSWORD)).post("/api/registries").then()
                .statusCode(201).body("hasWebhookSecret", equalTo(false)).extract().path("id");
        JsonPath rotated = rotate();
        secret = rotated.getString("secret");
        url = rotated.getString("url");
        repository = "hooks/app-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private JsonPath rotate() {
        return as(admin).post("/api/registries/" + connection + "/webhook-secret").then().statusCode(200)
                .header("Cache-Control", containsString("no-store")).extract().jsonPath();
    }

    /** A distinct image (the label makes its digest unique); answers its digest. */
    private String push(String tag) {
        return pusher.push(repository, tag, new ImagePusher.Image("linux", "amd64", List.of(), Map.of("build", tag),
                "2026-01-02T03:04:05Z"), ImagePusher.OCI_MANIFEST);
    }

    private String track() {
        return as(admin).body(Map.of("name", "tracked-" + repository.substring(10), "imageName", host + "/" + repository,
                "tagFilter", "1.*", "registryConnectionId", connection, "autoUpdate", true))
                .post("/api/environments/" + environment + "/container-images").then().statusCode(201).extract().path("id");
    }

    private String app(String tag) {
        return as(admin).body(Map.of("name", "web-" + repository.substring(10), "source", Map.of("image",
                Map.of("name", host + "/" + repository, "tag", tag), "containerRegistryId", connection)))
                .post("/api/environments/" + environment + "/app").then().statusCode(201).extract().path("id");
    }

    private JsonPath appView(String id) {
        return as(admin).get("/api/environments/" + environment + "/app/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** 1.0.0 pushed and tracked, an application on it, then 1.1.0 pushed (no check yet): answers [app, digest of 1.1.0]. */
    private String[] appWaitingFor110() {
        push("1.0.0");
        track();
        String app = app("1.0.0");
        return new String[] { app, push("1.1.0") };
    }

    private void awaitMoved(String app, String digest) {
        await(() -> "1.1.0".equals(appView(app).getString("source.image.tag")), "the application moves to 1.1.0");
        JsonPath moved = appView(app);
        assertEquals(digest, moved.getString("source.image.digest"));
        assertEquals(AutoUpdater.SUBJECT, moved.getString("modifiedBy"));
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within " + WITHIN.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static RequestSpecification hook(String contentType, String body) {
        return given().contentType(contentType).body(body.getBytes(StandardCharsets.UTF_8));
    }

    private String path() {
        return "/api/hooks/registries/" + connection;
    }

    @Test
    void aDistributionNotificationMovesTheApplicationWithinSeconds() {
        String[] waiting = appWaitingFor110();
        hook(HookSamples.DISTRIBUTION_TYPE, HookSamples.distribution(repository, "1.1.0", waiting[1], Instant.now()))
                .header("Authorization", "Bearer " + secret).post(path()).then().statusCode(202)
                .body("source", equalTo("distribution")).body("accepted", equalTo(1)).body("ignored", equalTo(0));
        awaitMoved(waiting[0], waiting[1]);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("berth_registry_notifications_total{outcome=\"accepted\",source=\"distribution\"}"),
                metrics);
        assertTrue(metrics.contains("berth_registry_hints_total{outcome=\"checked\"}"));
    }

    @Test
    void dockerHubSendsTheSecretInTheUrl() {
        String[] waiting = appWaitingFor110();
        assertTrue(url.endsWith("/api/hooks/registries/" + connection), url);
        hook("application/json", HookSamples.dockerHub(repository, "1.1.0", Instant.now()))
                .queryParam("token", secret).header("Idempotency-Key", "ignored-here").post(path()).then().statusCode(202)
                .body("source", equalTo("docker-hub"));
        awaitMoved(waiting[0], waiting[1]);
    }

    @Test
    void githubSignsTheBodyAndADeliveryCountsOnce() {
        String[] waiting = appWaitingFor110();
        String body = HookSamples.github(repository, "1.1.0", waiting[1]);
        String signature = "sha256=" + HexFormat.of().formatHex(HookAuth.hmac(secret, body.getBytes(StandardCharsets.UTF_8)));
        String delivery = UUID.randomUUID().toString();
        hook("application/json", body).header("X-Hub-Signature-256", signature).header("X-GitHub-Event", "package")
                .header("X-GitHub-Delivery", delivery).post(path()).then().statusCode(202)
                .body("source", equalTo("github")).body("accepted", equalTo(1));
        awaitMoved(waiting[0], waiting[1]);
        // the same delivery again is a replay
        hook("application/json", body).header("X-Hub-Signature-256", signature).header("X-GitHub-Event", "package")
                .header("X-GitHub-Delivery", delivery).post(path()).then().statusCode(401)
                .body("code", equalTo("UNAUTHORIZED")).body("message", containsString("replay"));
        // a body changed after signing is refused
        hook("application/json", body.replace("1.1.0", "1.9.9")).header("X-Hub-Signature-256", signature)
                .header("X-GitHub-Event", "package").header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .post(path()).then().statusCode(401);
        // GitHub's ping when the webhook is made: welcome, nothing to do
        String ping = HookSamples.GITHUB_PING;
        hook("application/json", ping).header("X-GitHub-Event", "ping").header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(HookAuth.hmac(secret,
                        ping.getBytes(StandardCharsets.UTF_8)))).post(path()).then().statusCode(202)
                .body("accepted", equalTo(0));
    }

    @Test
    void harborSendsItsAuthHeaderAsTyped() {
        String[] waiting = appWaitingFor110();
        hook("application/json", HookSamples.harbor(repository, "1.1.0", waiting[1], Instant.now()))
                .header("Authorization", secret).post(path()).then().statusCode(202).body("source", equalTo("harbor"));
        awaitMoved(waiting[0], waiting[1]);
    }

    @Test
    void quayNamesUpdatedTags() {
        String[] waiting = appWaitingFor110();
        hook("application/json", HookSamples.quay(repository, "1.1.0")).queryParam("token", secret).post(path()).then()
                .statusCode(202).body("source", equalTo("quay")).body("accepted", equalTo(1));
        awaitMoved(waiting[0], waiting[1]);
    }

    @Test
    void wrongMissingAndUnknownAreOneAndTheSame401() {
        String body = HookSamples.quay(repository, "1.0.0");
        String withoutSecret = as(admin).body(Map.of("name", "no-secret", "registryUrl", host, "insecure", true))
                .post("/api/registries").then().statusCode(201).extract().path("id");
        String other = as(admin).body(Map.of("name", "other", "registryUrl", host, "insecure", true))
                .post("/api/registries").then().statusCode(201).extract().path("id");
        as(admin).post("/api/registries/" + other + "/webhook-secret").then().statusCode(200);
        List<Response> refusals = List.of(
                hook("application/json", body).queryParam("token", "bhk_wrong").post(path()),
                hook("application/json", body).header("Authorization", "Bearer " + secret + "x").post(path()),
                hook("application/json", body).post(path()),
                hook("application/json", body).header("X-Hub-Signature-256", "sha256=" + "0".repeat(64)).post(path()),
                hook("application/json", body).queryParam("token", secret).post("/api/hooks/registries/" + UUID.randomUUID()),
                hook("application/json", body).queryParam("token", secret).post("/api/hooks/registries/not-a-uuid"),
                hook("application/json", body).queryParam("token", secret).post("/api/hooks/registries/" + withoutSecret),
                // this connection's secret at another connection
                hook("application/json", body).queryParam("token", secret).post("/api/hooks/registries/" + other));
        Map<String, Object> first = null;
        for (Response r : refusals) {
            assertEquals(401, r.statusCode(), r.asString());
            assertEquals("Bearer", r.header("WWW-Authenticate"));
            Map<String, Object> envelope = new HashMap<>(r.jsonPath().getMap(""));
            assertTrue(envelope.remove("requestId") != null);
            if (first == null) {
                first = envelope;
            }
            assertEquals(first, envelope, "every refusal reads the same");
        }
        assertEquals("UNAUTHORIZED", first.get("code"));
    }

    @Test
    void oldOrFutureNotificationsAreReplays() {
        Instant old = Instant.now().minus(Duration.ofMinutes(10));
        hook("application/json", HookSamples.harbor(repository, "1.1.0", "sha256:" + "a".repeat(64), old))
                .header("Authorization", "Bearer " + secret).post(path()).then().statusCode(401)
                .body("code", equalTo("UNAUTHORIZED")).body("message", containsString("replay"));
        hook("application/json", HookSamples.dockerHub(repository, "1.1.0", Instant.now().plus(Duration.ofMinutes(10))))
                .queryParam("token", secret).post(path()).then().statusCode(401).body("message", containsString("replay"));
        // a stale Distribution event is dropped, not refused: Distribution would retry a refusal forever
        hook(HookSamples.DISTRIBUTION_TYPE, HookSamples.distribution(repository, "1.1.0", "sha256:" + "a".repeat(64), old))
                .header("Authorization", "Bearer " + secret).post(path()).then().statusCode(202)
                .body("accepted", equalTo(0)).body("ignored", equalTo(1));
    }

    @Test
    void bodiesAboveOneMebibyteAndUnknownPayloads() {
        String big = "{\"events\": [], \"pad\": \"" + "x".repeat(1024 * 1024) + "\"}";
        hook("application/json", big).header("Authorization", "Bearer " + secret).post(path()).then().statusCode(413)
                .body("code", equalTo("VALIDATION_ERROR")).body("requestId", notNullValue());
        hook("application/json", "{\"hello\": \"world\"}").header("Authorization", "Bearer " + secret).post(path()).then()
                .statusCode(400).body("code", equalTo("VALIDATION_ERROR")).body("hint", containsString("README"));
        hook("text/plain", "pushed!").header("Authorization", "Bearer " + secret).post(path()).then().statusCode(400)
                .body("code", equalTo("VALIDATION_ERROR"));
        // unknown payloads from someone without the secret learn nothing more than a 401
        hook("application/json", "{\"hello\": \"world\"}").post(path()).then().statusCode(401);
    }

    @Test
    void eachConnectionHasItsOwnBudget() {
        String probed = "/api/hooks/registries/" + UUID.randomUUID();
        for (int i = 0; i < HookProfile.BUDGET; i++) {
            hook("application/json", "{}").post(probed).then().statusCode(401);
        }
        String retryAfter = hook("application/json", "{}").post(probed).then().statusCode(429)
                .body("code", equalTo("RATE_LIMITED")).extract().header("Retry-After");
        assertTrue(Long.parseLong(retryAfter) > 0);
        // another connection is not affected
        hook("application/json", HookSamples.quay(repository, "9.9.9")).queryParam("token", secret).post(path()).then()
                .statusCode(202);
    }

    @Test
    void anotherSpellingOfTheIdIsTheSameConnectionAndItsBudget() {
        String upper = "/api/hooks/registries/" + connection.toUpperCase();
        for (int i = 0; i < HookProfile.BUDGET; i++) {
            hook("application/json", HookSamples.quay(repository, "9.9." + i)).queryParam("token", secret)
                    .post(i % 2 == 0 ? path() : upper).then().statusCode(202);
        }
        hook("application/json", HookSamples.quay(repository, "9.9.99")).queryParam("token", secret).post(upper).then()
                .statusCode(429).header("Retry-After", notNullValue());
    }

    @Test
    void refusedRequestsCannotSpendTheRegistrysBudget() {
        for (int i = 0; i < HookProfile.BUDGET; i++) {
            hook("application/json", "{}").header("Authorization", "Bearer wrong").post(path()).then().statusCode(401);
        }
        hook("application/json", "{}").header("Authorization", "Bearer wrong").post(path()).then().statusCode(429)
                .body("code", equalTo("RATE_LIMITED"));
        // the registry, with the secret, is still heard
        hook("application/json", HookSamples.quay(repository, "9.9.9")).queryParam("token", secret).post(path()).then()
                .statusCode(202);
    }

    @Test
    void timesBeyondAnyInstantAreReplaysNotErrors() {
        for (String pushedAt : List.of("9223372036854775807", "-9223372036854775808", "1e400", "1.5e300",
                "99999999999999999999999")) {
            String body = "{\"push_data\": {\"tag\": \"1.1.0\", \"pushed_at\": " + pushedAt
                    + "}, \"repository\": {\"repo_name\": \"" + repository + "\"}}";
            hook("application/json", body).queryParam("token", secret).post(path()).then().statusCode(401)
                    .body("code", equalTo("UNAUTHORIZED")).body("message", containsString("replay"));
        }
    }

    @Test
    void aNotificationRecordsAtMostOneHundredPushesAndSaysHowManyItIgnored() {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            events.append(i == 0 ? "" : ",").append("{\"action\": \"push\", \"timestamp\": \"").append(Instant.now())
                    .append("\", \"target\": {\"repository\": \"").append(repository).append("\", \"tag\": \"2.0.")
                    .append(i).append("\", \"digest\": \"sha256:").append("b".repeat(64)).append("\"}}");
        }
        hook(HookSamples.DISTRIBUTION_TYPE, "{\"events\": [" + events + "]}").header("Authorization", "Bearer " + secret)
                .post(path()).then().statusCode(202).body("accepted", equalTo(100)).body("ignored", equalTo(50));
    }

    @Test
    void aGithubDeliveryIdIsAtMostOneHundredCharacters() {
        String ping = HookSamples.GITHUB_PING;
        hook("application/json", ping).header("X-GitHub-Event", "ping").header("X-GitHub-Delivery", "d".repeat(101))
                .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(HookAuth.hmac(secret,
                        ping.getBytes(StandardCharsets.UTF_8)))).post(path()).then().statusCode(400)
                .body("field", equalTo("X-GitHub-Delivery"));
    }

    @Test
    void theSameDigestAgainAndTagsNoImageTracksDoNothing() {
        String[] waiting = appWaitingFor110();
        String notification = HookSamples.distribution(repository, "1.1.0", waiting[1], Instant.now());
        hook(HookSamples.DISTRIBUTION_TYPE, notification).header("Authorization", "Bearer " + secret).post(path()).then()
                .statusCode(202);
        awaitMoved(waiting[0], waiting[1]);
        String image = appView(waiting[0]).getString("containerImageId");
        String checkedAt = as(admin).get("/api/container-images/" + image).then().extract().path("lastCheckedAt");

        double duplicates = hints("duplicate");
        hook(HookSamples.DISTRIBUTION_TYPE, notification).header("Authorization", "Bearer " + secret).post(path()).then()
                .statusCode(202).body("accepted", equalTo(1));
        await(() -> hints("duplicate") > duplicates, "the second notification is a duplicate");

        double noMatch = hints("no_match");
        push("2.0.0"); // outside the filter 1.*
        hook("application/json", HookSamples.quay(repository, "2.0.0")).queryParam("token", secret).post(path()).then()
                .statusCode(202);
        await(() -> hints("no_match") > noMatch, "2.0.0 matches no tracked image");
        worker.runDue();
        assertEquals(checkedAt, as(admin).get("/api/container-images/" + image).then().extract().path("lastCheckedAt"),
                "no further check");
        assertEquals("1.1.0", appView(waiting[0]).getString("source.image.tag"));
    }

    @Test
    void aHintLeftByAReplicaThatDiedIsPickedUp() {
        String[] waiting = appWaitingFor110();
        // what a replica leaves when it answered 202 and died while confirming: a hint whose lease ran out
        leftHint(UUID.fromString(connection), repository, "1.1.0");
        assertTrue(worker.runDue() >= 1, "the image is made due");
        awaitMoved(waiting[0], waiting[1]);
    }

    @Transactional
    void leftHint(UUID connectionId, String repo, String tag) {
        UUID company = (UUID) em.createNativeQuery("select company_id from registry_connections where id = ?1")
                .setParameter(1, connectionId).getSingleResult();
        em.createNativeQuery("insert into registry_hook_hints (company_id, connection_id, source, repository, tag, attempts,"
                + " lease_until) values (?1, ?2, 'distribution', ?3, ?4, 1, now() - interval '1 minute')")
                .setParameter(1, company).setParameter(2, connectionId).setParameter(3, repo).setParameter(4, tag)
                .executeUpdate();
    }

    @Test
    void rotatingReplacesTheSecretWhichIsShownOnce() {
        String body = HookSamples.quay(repository, "1.0.0");
        hook("application/json", body).queryParam("token", secret).post(path()).then().statusCode(202);
        JsonPath next = rotate();
        assertTrue(next.getString("secret").startsWith("bhk_"));
        assertNotEquals(secret, next.getString("secret"));
        assertEquals(next.getString("url") + "?token=" + next.getString("secret"), next.getString("urlWithToken"));
        hook("application/json", body).queryParam("token", secret).post(path()).then().statusCode(401);
        hook("application/json", body).queryParam("token", next.getString("secret")).post(path()).then().statusCode(202);

        String view = as(admin).get("/api/registries/" + connection).then().statusCode(200)
                .body("hasWebhookSecret", equalTo(true)).extract().asString();
        assertFalse(view.contains(next.getString("secret")) || view.contains("bhk_"), view);
        // an Idempotency-Key cannot replay (hence store) a secret: each request rotates
        String key = UUID.randomUUID().toString();
        io.restassured.response.Response a = as(admin).header("Idempotency-Key", key)
                .post("/api/registries/" + connection + "/webhook-secret");
        io.restassured.response.Response b = as(admin).header("Idempotency-Key", key)
                .post("/api/registries/" + connection + "/webhook-secret");
        assertEquals(200, b.statusCode());
        assertEquals(null, b.header("Idempotent-Replayed"));
        assertNotEquals(a.jsonPath().getString("secret"), b.jsonPath().getString("secret"));

        as(Tokens.token(UUID.randomUUID(), "eve", "admin", Tokens.ALL_SCOPES))
                .post("/api/registries/" + connection + "/webhook-secret").then().statusCode(404);
        as(Tokens.token(Api.newCompany(), "victor", "viewer", Tokens.ALL_SCOPES)).post("/api/registries/" + connection + "/webhook-secret").then().statusCode(403);
    }

    @Test
    void theOpenApiDocumentShowsTheHookWithoutBearer() {
        JsonPath doc = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        String op = "paths.'/api/hooks/registries/{connectionId}'.post";
        assertEquals("receiveRegistryNotification", doc.getString(op + ".operationId"));
        assertEquals(null, doc.getString(op + ".security"));
        for (String status : List.of("202", "400", "401", "413", "429")) {
            assertTrue(doc.getMap(op + ".responses").containsKey(status), status);
        }
        assertFalse(doc.getMap(op + ".responses").containsKey("403"));
        assertEquals("rotateRegistryWebhookSecret", doc.getString("paths.'/api/registries/{id}/webhook-secret'.post.operationId"));
        String params = doc.getString("paths.'/api/registries/{id}/webhook-secret'.post.parameters");
        assertTrue(params == null || !params.contains("Idempotency-Key"), params);
    }

    private static double hints(String outcome) {
        String metrics = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        String prefix = "berth_registry_hints_total{outcome=\"" + outcome + "\"} ";
        return metrics.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst().orElse(0);
    }
}
