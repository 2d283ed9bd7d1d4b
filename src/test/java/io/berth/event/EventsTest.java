package io.berth.event;

import static io.berth.testsupport.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.ImagePusher;
import io.berth.testsupport.Registries;
import io.berth.testsupport.RegistryProxy;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The change feed through HTTP: each committed change is exactly one CloudEvent in the feed, in
 * commit order and resumable by cursor; a dry run emits nothing; another company sees nothing.
 */
@QuarkusTest
class EventsTest {

    private final ImagePusher pusher = Registries.pusher(Registries.ANONYMOUS);
    private final String host = Registries.ANONYMOUS.host();
    private UUID company;
    private String admin;
    private String environment;
    private String repository;

    @BeforeEach
    void setUp() {
        company = Api.newCompany();
        admin = Tokens.admin(company);
        environment = Api.createEnvironment(admin, "events");
        repository = "public/events-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String push(String tag) {
        return pusher.push(repository, tag, new ImagePusher.Image("linux", "amd64", List.of(), Map.of("build", tag),
                "2026-01-02T03:04:05Z"), ImagePusher.OCI_MANIFEST);
    }

    private String app(String name, String tag) {
        return as(admin).body(Map.of("name", name, "source", Map.of("image", Map.of("name", host + "/" + repository,
                "tag", tag)))).post("/api/environments/" + environment + "/app").then().statusCode(201)
                .extract().path("id");
    }

    private JsonPath feed(String token, String after) {
        return as(token).queryParam("after", after).get("/api/events").then().statusCode(200).extract().jsonPath();
    }

    private List<Map<String, Object>> events(String after) {
        return feed(admin, after).getList("items");
    }

    @Test
    void aChangeIsOneCloudEventAndTheCursorResumesAfterIt() {
        push("1.0.0");
        String start = feed(admin, "0").getString("next");
        String web = app("web", "1.0.0");

        JsonPath page = feed(admin, start);
        List<Map<String, Object>> items = page.getList("items");
        assertEquals(1, items.size(), "one change, one event: " + items);
        Map<String, Object> created = items.get(0);
        assertEquals("1.0", created.get("specversion"));
        assertEquals("io.berth.application.created", created.get("type"));
        assertEquals("/companies/" + company + "/environments/" + environment, created.get("source"));
        assertEquals(web, created.get("subject"));
        assertEquals("application/json", created.get("datacontenttype"));
        assertTrue(((String) created.get("id")).startsWith("evt_"), "id: " + created.get("id"));
        assertTrue(created.get("time") != null && created.get("sequence") != null);
        assertEquals("web", page.getString("items[0].data.name"));
        assertEquals("alice", page.getString("items[0].data.changedBy"));

        String next = page.getString("next");
        assertEquals(List.of(), events(next), "nothing new after the cursor");

        String digest = push("1.1.0");
        as(admin).body(Map.of("imageName", host + "/" + repository, "imageTag", "1.1.0"))
                .patch("/api/environments/" + environment + "/app/" + web + "/image").then().statusCode(200);
        JsonPath after = feed(admin, next);
        assertEquals(1, after.getList("items").size());
        assertEquals("io.berth.application.image.updated", after.getString("items[0].type"));
        assertEquals("1.0.0", after.getString("items[0].data.fromTag"));
        assertEquals("1.1.0", after.getString("items[0].data.toTag"));
        assertEquals(digest, after.getString("items[0].data.toDigest"));
        assertEquals(digest, after.getString("items[0].data.source.image.digest"));

        // from the start: both, oldest first; limit pages through them
        JsonPath first = as(admin).queryParam("after", start).queryParam("limit", 1).get("/api/events").then()
                .statusCode(200).extract().jsonPath();
        assertEquals("io.berth.application.created", first.getString("items[0].type"));
        assertEquals("io.berth.application.image.updated",
                feed(admin, first.getString("next")).getString("items[0].type"));
    }

    @Test
    void aDryRunEmitsNothingAndOtherCompaniesSeeNothing() {
        push("1.0.0");
        String web = app("web", "1.0.0");
        String next = feed(admin, "0").getString("next");

        as(admin).queryParam("dryRun", "true").body(Map.of("name", "renamed"))
                .put("/api/environments/" + environment + "/app/" + web).then().statusCode(200)
                .header("X-Dry-Run", "true");
        assertEquals(List.of(), events(next), "a dry run emitted an event");

        as(admin).body(Map.of("name", "renamed")).put("/api/environments/" + environment + "/app/" + web)
                .then().statusCode(200);
        as(admin).delete("/api/environments/" + environment + "/app/" + web).then().statusCode(204);
        List<Map<String, Object>> items = events(next);
        assertEquals(List.of("io.berth.application.updated", "io.berth.application.deleted"),
                items.stream().map(e -> e.get("type")).toList());

        String stranger = Tokens.admin(Api.newCompany());
        List<Map<String, Object>> theirs = feed(stranger, "0").getList("items");
        assertTrue(theirs.stream().noneMatch(e -> web.equals(e.get("subject"))), "another company's events are visible");
    }

    @Test
    void aStreakOfFailedChecksIsOneEvent() {
        RegistryProxy proxy = new RegistryProxy(Registries.ANONYMOUS);
        push("1.0.0");
        String image = as(admin).body(Map.of("name", "tracked", "imageName", proxy.host() + "/" + repository,
                "tagFilter", "1.*")).post("/api/environments/" + environment + "/container-images").then()
                .statusCode(201).extract().path("id");
        String next = feed(admin, "0").getString("next");
        proxy.close();
        for (int i = 0; i < 2; i++) {
            as(admin).post("/api/container-images/" + image + "/check-updates").then().statusCode(503);
        }
        List<Map<String, Object>> items = events(next);
        assertEquals(List.of("io.berth.container-image.check-failed"), items.stream().map(e -> e.get("type")).toList());
        assertEquals(image, items.get(0).get("subject"));
    }

    @Test
    void badCursorsAndLimitsAreRefusedWithTheField() {
        as(admin).queryParam("after", "abc").get("/api/events").then().statusCode(400)
                .body("code", equalTo("VALIDATION_ERROR")).body("field", equalTo("after"));
        as(admin).queryParam("after", "-1").get("/api/events").then().statusCode(400).body("field", equalTo("after"));
        for (String limit : List.of("0", "501", "x", "1.5")) {
            as(admin).queryParam("limit", limit).get("/api/events").then().statusCode(400).body("field", equalTo("limit"));
        }
        String noScope = Tokens.token(company, "bob", "admin", "applications:read");
        as(noScope).get("/api/events").then().statusCode(403);
    }
}
