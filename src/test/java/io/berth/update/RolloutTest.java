package io.berth.update;

import static io.berth.testsupport.Api.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.ImagePusher;
import io.berth.testsupport.ImagePusher.Image;
import io.berth.testsupport.Registries;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Auto-update rollouts through HTTP against a real registry: push a new tag, run check-updates,
 * watch the linked applications move (or stay, and why).
 */
@QuarkusTest
class RolloutTest {

    private final ImagePusher pusher = Registries.pusher(Registries.ANONYMOUS);
    private final String host = Registries.ANONYMOUS.host();
    private String admin;
    private String environment;
    private String repository;

    @BeforeEach
    void setUp() {
        admin = Tokens.admin(Api.newCompany());
        environment = Api.createEnvironment(admin, "rollout");
        repository = "public/rollout-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A distinct single-platform image (its label makes the digest unique). */
    private String push(String tag) {
        return pusher.push(repository, tag, image("amd64", "2026-01-02T03:04:05Z", tag), ImagePusher.OCI_MANIFEST);
    }

    private static Image image(String architecture, String created, String label) {
        return new Image("linux", architecture, List.of(), Map.of("build", label), created);
    }

    private String track(Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "tracked", "imageName", host + "/" + repository,
                "autoUpdate", true));
        body.putAll(extra);
        return as(admin).body(body).post("/api/environments/" + environment + "/container-images").then()
                .statusCode(201).extract().path("id");
    }

    private String app(String name, String tag) {
        return as(admin).body(Map.of("name", name, "source", Map.of("image", Map.of("name", host + "/" + repository,
                "tag", tag)))).post("/api/environments/" + environment + "/app").then().statusCode(201)
                .extract().path("id");
    }

    private JsonPath app(String id) {
        return as(admin).get("/api/environments/" + environment + "/app/" + id).then().statusCode(200).extract().jsonPath();
    }

    private JsonPath check(String image, boolean dryRun) {
        return as(admin).post("/api/container-images/" + image + "/check-updates" + (dryRun ? "?dryRun=true" : ""))
                .then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> step(JsonPath check, String app) {
        List<Map<String, Object>> steps = check.getList("rollout");
        return steps.stream().filter(s -> app.equals(s.get("applicationId"))).findFirst().orElseThrow();
    }

    @Test
    void aNewTagMovesTheLinkedApplicationAfterADryRunThatChangesNothing() {
        push("1.0.0");
        String image = track(Map.of("tagFilter", "1.*"));
        String web = app("web", "1.0.0");
        long version = app(web).getLong("version");
        String next = push("1.1.0");

        JsonPath plan = check(image, true);
        assertEquals(Map.of("applicationId", web, "fromTag", "1.0.0", "toTag", "1.1.0", "toDigest", next,
                "action", "update"), withoutNulls(step(plan, web)));
        assertEquals("1.0.0", app(web).getString("source.image.tag"), "a dry run moved the application");
        assertEquals(version, app(web).getLong("version"));

        JsonPath done = check(image, false);
        assertEquals("update", step(done, web).get("action"));
        JsonPath moved = app(web);
        assertEquals("1.1.0", moved.getString("source.image.tag"));
        assertEquals(next, moved.getString("source.image.digest"));
        as(admin).get("/api/environments/" + environment + "/app/" + web + "/history").then().statusCode(200)
                .body("items[0].changedBy", equalTo("system:auto-update"))
                .body("items[0].changes", contains("source.image.tag", "source.image.digest"));
        as(admin).get("/api/container-images/" + image).then().body("lastRolloutAt", notNullValue())
                .body("updateAvailable", equalTo(false));
        // ... and it is a change event like a user's
        List<Map<String, Object>> events = as(admin).get("/api/events").then().statusCode(200).extract().jsonPath()
                .getList("items.findAll { it.subject == '" + web + "' && it.type == 'io.berth.application.image.updated' }.data");
        assertEquals(1, events.size(), "one image.updated event for the rollout: " + events);
        assertEquals("system:auto-update", events.get(0).get("changedBy"));
        assertEquals("1.1.0", events.get(0).get("toTag"));

        // the next check finds nothing to do
        assertEquals("skip", step(check(image, false), web).get("action"));
        assertEquals(version + 1, app(web).getLong("version"));

        String metrics = io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString("berth_auto_update_rollouts_total{outcome=\"updated\"}"));
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString("berth_auto_update_checks_total{outcome=\"ok\"}"));
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString("berth_auto_update_checks_in_flight"));
    }

    @Test
    void neverBackwards() {
        push("1.2.0");
        push("1.1.0");
        String image = track(Map.of("tagFilter", "1.1.*"));
        String ahead = app("ahead", "1.2.0");
        // the app runs 1.2.0 but is linked to the image tracking 1.1.*: the candidate is older
        Map<String, Object> step = step(check(image, false), ahead);
        assertEquals("skip", step.get("action"));
        assertEquals("1.2.0", app(ahead).getString("source.image.tag"));
    }

    @Test
    void anApplicationStaysOnItsVariant() {
        push("1.0.0");
        push("1.0.0-alpine");
        String image = track(Map.of("tagFilter", "*"));
        String plain = app("plain", "1.0.0");
        String alpine = app("alpine", "1.0.0-alpine");
        push("1.1.0");
        String alpineNext = push("1.1.0-alpine");
        push("1.2.0-slim");

        check(image, false);
        assertEquals("1.1.0", app(plain).getString("source.image.tag"));
        assertEquals("1.1.0-alpine", app(alpine).getString("source.image.tag"));
        assertEquals(alpineNext, app(alpine).getString("source.image.digest"));
    }

    @Test
    void aCandidateThatDropsAPlatformIsSkippedWithTheReason() {
        String index = pusher.pushIndex(repository, "1.0.0", ImagePusher.OCI_INDEX,
                image("amd64", "2026-01-02T03:04:05Z", "a"), image("arm64", "2026-01-02T03:04:05Z", "a"));
        String image = track(Map.of("tagFilter", "1.*"));
        String web = app("web", "1.0.0");
        assertEquals(index, app(web).getString("source.image.digest"));
        push("1.1.0"); // amd64 only

        Map<String, Object> step = step(check(image, false), web);
        assertEquals("skip", step.get("action"));
        assertEquals("1.1.0", step.get("toTag"));
        org.hamcrest.MatcherAssert.assertThat((String) step.get("reason"), containsString("linux/arm64"));
        assertEquals("1.0.0", app(web).getString("source.image.tag"));

        // a multi-platform candidate keeps coverage: the index digest is what gets pinned
        String nextIndex = pusher.pushIndex(repository, "1.2.0", ImagePusher.OCI_INDEX,
                image("amd64", "2026-01-03T03:04:05Z", "b"), image("arm64", "2026-01-03T03:04:05Z", "b"));
        check(image, false);
        assertEquals("1.2.0", app(web).getString("source.image.tag"));
        assertEquals(nextIndex, app(web).getString("source.image.digest"));
    }

    @Test
    void aCandidateYoungerThanTheMinimumAgeWaits() {
        push("1.0.0");
        String image = track(Map.of("tagFilter", "1.*", "minTagAgeMinutes", 60));
        String web = app("web", "1.0.0");
        String now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString();
        String young = pusher.push(repository, "1.1.0", image("amd64", now, "young"), ImagePusher.OCI_MANIFEST);

        Map<String, Object> step = step(check(image, false), web);
        assertEquals("skip", step.get("action"));
        org.hamcrest.MatcherAssert.assertThat((String) step.get("reason"), containsString("minTagAgeMinutes"));
        assertEquals("1.0.0", app(web).getString("source.image.tag"));
        as(admin).get("/api/container-images/" + image).then().body("pendingUpdate.tag", equalTo("1.1.0"))
                .body("pendingUpdate.digest", equalTo(young)).body("pendingUpdate.eligibleAt", notNullValue());

        // lowering the minimum rolls it out at the next check, and the pending update clears
        as(admin).body(Map.of("minTagAgeMinutes", 0)).patch("/api/container-images/" + image).then().statusCode(200);
        check(image, false);
        assertEquals("1.1.0", app(web).getString("source.image.tag"));
        as(admin).get("/api/container-images/" + image).then().body("pendingUpdate", nullValue());
    }

    @Test
    void theDigestStrategyFollowsANewImageBehindTheSameTag() {
        push("latest");
        push("stable");
        String image = track(Map.of("tagFilter", "latest", "updateStrategy", "digest"));
        String web = app("web", "latest");
        String other = app("other", "stable");
        String repushed = pusher.push(repository, "latest", image("amd64", "2026-02-01T00:00:00Z", "second"),
                ImagePusher.OCI_MANIFEST);

        JsonPath done = check(image, false);
        assertEquals(repushed, app(web).getString("source.image.digest"));
        // an application on another tag of the repository is not moved onto the followed tag
        assertEquals("skip", step(done, other).get("action"));
        assertEquals("stable", app(other).getString("source.image.tag"));
        as(admin).get("/api/environments/" + environment + "/app/" + web + "/history").then()
                .body("items[0].changes", contains("source.image.digest"));
    }

    @Test
    void theNumericalStrategyTakesTheLargestBuildNumber() {
        push("9");
        String image = track(Map.of("tagFilter", "*", "updateStrategy", "numerical"));
        String web = app("web", "9");
        push("10");
        push("latest");
        as(admin).post("/api/container-images/" + image + "/check-updates").then().statusCode(200)
                .body("bestTag", equalTo("10")).body("updateStrategy", equalTo("numerical"));
        assertEquals("10", app(web).getString("source.image.tag"));
    }

    @Test
    void withoutAutoUpdateNothingMoves() {
        push("1.0.0");
        String image = track(Map.of("tagFilter", "1.*", "autoUpdate", false));
        String web = app("web", "1.0.0");
        push("1.1.0");
        Map<String, Object> step = step(check(image, false), web);
        assertEquals("skip", step.get("action"));
        assertEquals("1.0.0", app(web).getString("source.image.tag"));
    }

    @Test
    void policyFieldsAreValidated() {
        String images = "/api/environments/" + environment + "/container-images";
        Map<String, Object> base = Map.of("name", "x", "imageName", host + "/" + repository, "tagFilter", "1.*");
        for (Object bad : List.of("SEMVER", "newest", "", 1)) {
            Map<String, Object> body = new HashMap<>(base);
            body.put("updateStrategy", bad);
            as(admin).body(body).post(images).then().statusCode(400).body("field", equalTo("updateStrategy"));
        }
        for (Object bad : List.of(-1, 43_201, "5", 1.5)) {
            Map<String, Object> body = new HashMap<>(base);
            body.put("minTagAgeMinutes", bad);
            as(admin).body(body).post(images).then().statusCode(400).body("field", equalTo("minTagAgeMinutes"));
        }
        Map<String, Object> digest = new HashMap<>(base);
        digest.put("updateStrategy", "digest");
        as(admin).body(digest).post(images).then().statusCode(400).body("field", equalTo("updateStrategy"));
        as(admin).get(images).then().body("items", hasSize(0));

        push("1.0.0");
        String image = track(Map.of("tagFilter", "1.*", "minTagAgeMinutes", 43_200));
        as(admin).get("/api/container-images/" + image).then().body("updateStrategy", equalTo("semver"))
                .body("minTagAgeMinutes", equalTo(43_200)).body("nextCheckAt", nullValue());
        as(admin).body(Map.of("updateStrategy", "digest")).patch("/api/container-images/" + image).then()
                .statusCode(400).body("field", equalTo("updateStrategy"));
        as(admin).body(Map.of("pendingUpdate", Map.of())).patch("/api/container-images/" + image).then()
                .statusCode(422).body("field", equalTo("pendingUpdate"));
        as(admin).body(Map.of("updateStrategy", "alphabetical", "minTagAgeMinutes", 0))
                .patch("/api/container-images/" + image).then().statusCode(200)
                .body("updateStrategy", equalTo("alphabetical")).body("minTagAgeMinutes", equalTo(0));
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> map) {
        Map<String, Object> copy = new HashMap<>(map);
        copy.values().removeIf(java.util.Objects::isNull);
        return copy;
    }
}
