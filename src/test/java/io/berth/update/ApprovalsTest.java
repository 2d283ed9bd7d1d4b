package io.berth.update;

import static io.berth.testsupport.Api.as;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.ImagePusher;
import io.berth.testsupport.Registries;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Approval gates through HTTP against a real registry: an environment's autoUpdatePolicy, checks
 * that propose instead of moving, and approve / reject of the pending updates they leave.
 */
@QuarkusTest
class ApprovalsTest {

    private final ImagePusher pusher = Registries.pusher(Registries.ANONYMOUS);
    private final String host = Registries.ANONYMOUS.host();
    private UUID company;
    private String admin;
    private String operator;
    private String environment;
    private String repository;

    @BeforeEach
    void setUp() {
        company = Api.newCompany();
        admin = Tokens.admin(company);
        operator = Tokens.token(company, "bob", "operator", Tokens.ALL_SCOPES);
        environment = environment(Map.of("name", "prod", "tier", "production"));
        repository = "public/approvals-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String environment(Map<String, Object> body) {
        return as(admin).body(body).post("/api/environments").then().statusCode(201).extract().path("id");
    }

    private String push(String tag, String label) {
        return pusher.push(repository, tag, new ImagePusher.Image("linux", "amd64", List.of(), Map.of("build", label),
                "2026-01-02T03:04:05Z"), ImagePusher.OCI_MANIFEST);
    }

    private String push(String tag) {
        return push(tag, tag);
    }

    private String track() {
        return as(admin).body(Map.of("name", "tracked", "imageName", host + "/" + repository, "autoUpdate", true,
                "tagFilter", "1.*")).post("/api/environments/" + environment + "/container-images").then()
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

    private Map<String, Object> check(String image, boolean dryRun) {
        List<Map<String, Object>> steps = as(admin).post("/api/container-images/" + image + "/check-updates"
                + (dryRun ? "?dryRun=true" : "")).then().statusCode(200).extract().jsonPath().getList("rollout");
        assertEquals(1, steps.size(), "one linked application: " + steps);
        return steps.get(0);
    }

    private String pendingUpdates() {
        return "/api/environments/" + environment + "/pending-updates";
    }

    private List<Map<String, Object>> listed(String status) {
        var request = as(admin);
        if (status != null) {
            request = request.queryParam("status", status);
        }
        return request.get(pendingUpdates()).then().statusCode(200).extract().jsonPath().getList("items");
    }

    /**
     * The feed's cursor once it has settled. Reading the feed numbers committed events, but not while the
     * background sequencer holds its lock (the read then skips that), so an event committed just before can
     * get its position only after a first read: two equal answers 300 ms apart say every committed event is in.
     */
    private String cursor() {
        return settled("0").getString("next");
    }

    /** The application and update events after the cursor (a check's container-image events left out). */
    private List<Map<String, Object>> eventsAfter(String cursor) {
        List<Map<String, Object>> items = settled(cursor).getList("items");
        return items.stream().filter(e -> !((String) e.get("type")).startsWith("io.berth.container-image.")).toList();
    }

    private JsonPath settled(String after) {
        JsonPath previous = feed(after);
        for (int attempt = 0; attempt < 10; attempt++) {
            sleep(300);
            JsonPath current = feed(after);
            if (current.getString("next").equals(previous.getString("next"))) {
                return current;
            }
            previous = current;
        }
        throw new AssertionError("the event feed did not settle: " + previous.prettify());
    }

    private JsonPath feed(String after) {
        return as(admin).queryParam("after", after).queryParam("limit", 500).get("/api/events").then().statusCode(200)
                .extract().jsonPath();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<Object> types(List<Map<String, Object>> events) {
        return events.stream().map(e -> e.get("type")).toList();
    }

    private static Map<String, Object> ofType(List<Map<String, Object>> events, String type) {
        return events.stream().filter(e -> type.equals(e.get("type"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + events));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> event) {
        return (Map<String, Object>) event.get("data");
    }

    @Test
    void theTierGivesTheDefaultPolicyAndAPatchChangesIt() {
        as(admin).get("/api/environments/" + environment).then().statusCode(200)
                .body("autoUpdatePolicy", equalTo("approve"));
        String staging = environment(Map.of("name", "staging", "tier", "staging"));
        as(admin).get("/api/environments/" + staging).then().body("autoUpdatePolicy", equalTo("auto"));
        as(admin).body(Map.of("name", "dev")).post("/api/environments").then().statusCode(201)
                .body("tier", equalTo("development")).body("autoUpdatePolicy", equalTo("auto"));
        as(admin).body(Map.of("name", "gated-prod", "tier", "production", "autoUpdatePolicy", "off"))
                .post("/api/environments").then().statusCode(201).body("autoUpdatePolicy", equalTo("off"));

        // a normal PATCH, JSON or merge-patch; a tier change keeps the policy
        as(admin).body(Map.of("autoUpdatePolicy", "off")).patch("/api/environments/" + staging).then().statusCode(200)
                .body("autoUpdatePolicy", equalTo("off")).body("version", equalTo(2));
        as(admin).contentType("application/merge-patch+json").body("{\"autoUpdatePolicy\":\"approve\"}")
                .patch("/api/environments/" + staging).then().statusCode(200).body("autoUpdatePolicy", equalTo("approve"));
        as(admin).body(Map.of("tier", "production")).patch("/api/environments/" + staging).then().statusCode(200)
                .body("tier", equalTo("production")).body("autoUpdatePolicy", equalTo("approve"));
        as(admin).body(Map.of("tier", "development")).patch("/api/environments/" + staging).then().statusCode(200)
                .body("autoUpdatePolicy", equalTo("approve"));

        for (Object bad : List.of("AUTO", "manual", "", 1, true)) {
            Map<String, Object> body = new HashMap<>(Map.of("name", "bad"));
            body.put("autoUpdatePolicy", bad);
            as(admin).body(body).post("/api/environments").then().statusCode(400)
                    .body("code", equalTo("VALIDATION_ERROR")).body("field", equalTo("autoUpdatePolicy"));
            as(admin).body(Map.of("autoUpdatePolicy", bad)).patch("/api/environments/" + staging).then().statusCode(400)
                    .body("code", equalTo("VALIDATION_ERROR")).body("field", equalTo("autoUpdatePolicy"));
        }
        as(admin).body("{\"autoUpdatePolicy\":null}").patch("/api/environments/" + staging).then().statusCode(400)
                .body("field", equalTo("autoUpdatePolicy"));
        as(admin).get("/api/environments/" + staging).then().body("autoUpdatePolicy", equalTo("approve"))
                .body("version", equalTo(5));
    }

    @Test
    void aCheckProposesInsteadOfMovingAndApprovalMovesTheApplication() {
        push("1.0.0");
        String image = track();
        String web = app("web", "1.0.0");
        long version = app(web).getLong("version");
        String next = push("1.1.0");

        Map<String, Object> planned = check(image, true);
        assertEquals("propose", planned.get("action"));
        assertEquals("1.1.0", planned.get("toTag"));
        assertNull(planned.get("pendingUpdateId"), "a dry run created a pending update");
        assertEquals(List.of(), listed(null), "a dry run created a pending update");

        String start = cursor();
        Map<String, Object> proposed = check(image, false);
        assertEquals("propose", proposed.get("action"));
        assertEquals(next, proposed.get("toDigest"));
        String id = (String) proposed.get("pendingUpdateId");
        assertNotNull(id);
        assertThat((String) proposed.get("reason"), containsString("approve"));
        assertEquals("1.0.0", app(web).getString("source.image.tag"), "a proposal moved the application");
        assertEquals(version, app(web).getLong("version"));

        // the next check finds the same candidate waiting: no second pending update, no second event
        Map<String, Object> again = check(image, false);
        assertEquals("propose", again.get("action"));
        assertEquals(id, again.get("pendingUpdateId"));

        List<Map<String, Object>> pending = listed(null);
        assertEquals(1, pending.size());
        Map<String, Object> listedOne = pending.get(0);
        assertEquals(id, listedOne.get("id"));
        assertEquals("pending", listedOne.get("status"));
        assertEquals(web, listedOne.get("applicationId"));
        assertEquals(image, listedOne.get("containerImageId"));
        assertEquals(environment, listedOne.get("environmentId"));
        assertEquals("1.0.0", listedOne.get("fromTag"));
        assertEquals("1.1.0", listedOne.get("toTag"));
        assertEquals(next, listedOne.get("toDigest"));
        assertEquals(app(web).getString("source.image.digest"), listedOne.get("fromDigest"));

        List<Map<String, Object>> proposals = eventsAfter(start);
        assertEquals(List.of("io.berth.update.pending"), types(proposals));
        assertEquals(id, proposals.get(0).get("subject"));
        assertEquals("/companies/" + company + "/environments/" + environment, proposals.get(0).get("source"));
        assertEquals("system:auto-update", data(proposals.get(0)).get("changedBy"));
        assertEquals(next, data(proposals.get(0)).get("toDigest"));
        assertEquals("1.0.0", data(proposals.get(0)).get("fromTag"));
        assertEquals("pending", data(proposals.get(0)).get("status"));

        String beforeApproval = cursor();
        as(operator).post(pendingUpdates() + "/" + id + "/approve").then().statusCode(200)
                .body("status", equalTo("approved")).body("decidedBy", equalTo("bob"))
                .body("decidedAt", org.hamcrest.Matchers.notNullValue());
        JsonPath moved = app(web);
        assertEquals("1.1.0", moved.getString("source.image.tag"));
        assertEquals(next, moved.getString("source.image.digest"));
        assertEquals(version + 1, moved.getLong("version"));
        as(admin).get("/api/environments/" + environment + "/app/" + web + "/history").then().statusCode(200)
                .body("items[0].changedBy", equalTo("bob"))
                .body("items[0].changes", org.hamcrest.Matchers.contains("source.image.tag", "source.image.digest"));

        // one transaction, two events (their order within it is not asserted: event ids are ULIDs, which do
        // not order two events of the same millisecond)
        List<Map<String, Object>> decided = eventsAfter(beforeApproval);
        assertEquals(2, decided.size(), "two events: " + decided);
        Map<String, Object> imageUpdated = ofType(decided, "io.berth.application.image.updated");
        assertEquals(web, imageUpdated.get("subject"));
        assertEquals("bob", data(imageUpdated).get("changedBy"));
        assertEquals("1.1.0", data(imageUpdated).get("toTag"));
        Map<String, Object> approved = ofType(decided, "io.berth.update.approved");
        assertEquals(id, approved.get("subject"));
        assertEquals("bob", data(approved).get("changedBy"));
        assertEquals("approved", data(approved).get("status"));
        assertEquals(next, data(approved).get("toDigest"));
        assertEquals("1.0.0", data(approved).get("fromTag"));

        // decided once: neither approve nor reject again
        as(operator).post(pendingUpdates() + "/" + id + "/approve").then().statusCode(409)
                .body("code", equalTo("CONFLICT")).body("message", containsString("approved"));
        as(operator).post(pendingUpdates() + "/" + id + "/reject").then().statusCode(409).body("code", equalTo("CONFLICT"));
        assertEquals(List.of(), listed(null));
        assertEquals(1, listed("approved").size());
        assertEquals(1, listed("all").size());
        assertEquals("skip", check(image, false).get("action"), "up to date after the approval");
    }

    @Test
    void aRejectedCandidateIsNeverProposedAgainButANewerOneIs() {
        push("1.0.0");
        String image = track();
        String web = app("web", "1.0.0");
        String rejectedDigest = push("1.1.0");
        String id = (String) check(image, false).get("pendingUpdateId");

        String start = cursor();
        as(operator).post(pendingUpdates() + "/" + id + "/reject").then().statusCode(200)
                .body("status", equalTo("rejected")).body("decidedBy", equalTo("bob"));
        List<Map<String, Object>> rejected = eventsAfter(start);
        assertEquals(List.of("io.berth.update.rejected"), types(rejected));
        assertEquals(id, rejected.get(0).get("subject"));
        assertEquals("bob", data(rejected.get(0)).get("changedBy"));
        assertEquals(rejectedDigest, data(rejected.get(0)).get("toDigest"));
        assertEquals("1.0.0", app(web).getString("source.image.tag"));

        Map<String, Object> skipped = check(image, false);
        assertEquals("skip", skipped.get("action"));
        assertThat((String) skipped.get("reason"), containsString("rejected"));
        assertEquals("skip", check(image, true).get("action"), "the plan proposes a rejected candidate");
        assertEquals(List.of(), listed(null));

        String newer = push("1.2.0");
        Map<String, Object> proposed = check(image, false);
        assertEquals("propose", proposed.get("action"));
        assertEquals("1.2.0", proposed.get("toTag"));
        assertEquals(newer, proposed.get("toDigest"));
        assertNotEquals(id, proposed.get("pendingUpdateId"));
        assertEquals(1, listed(null).size());
        assertEquals(1, listed("rejected").size());
    }

    @Test
    void aNewerCandidateSupersedesTheOlderPendingUpdate() {
        push("1.0.0");
        String image = track();
        String web = app("web", "1.0.0");
        push("1.1.0");
        String older = (String) check(image, false).get("pendingUpdateId");
        String newest = push("1.2.0");

        String start = cursor();
        Map<String, Object> proposed = check(image, false);
        String newer = (String) proposed.get("pendingUpdateId");
        assertNotEquals(older, newer);
        assertEquals("1.2.0", proposed.get("toTag"));
        assertThat((String) proposed.get("reason"), containsString(older));

        List<Map<String, Object>> pending = listed(null);
        assertEquals(List.of(newer), pending.stream().map(p -> p.get("id")).toList());
        List<Map<String, Object>> superseded = listed("superseded");
        assertEquals(List.of(older), superseded.stream().map(p -> p.get("id")).toList());
        assertEquals("system:auto-update", superseded.get(0).get("decidedBy"));
        List<Map<String, Object>> events = eventsAfter(start);
        assertEquals(List.of("io.berth.update.pending"), types(events));
        assertEquals(older, data(events.get(0)).get("supersedes"));

        as(operator).post(pendingUpdates() + "/" + older + "/approve").then().statusCode(409)
                .body("message", containsString("superseded"));
        as(operator).post(pendingUpdates() + "/" + newer + "/approve").then().statusCode(200);
        assertEquals(newest, app(web).getString("source.image.digest"));
    }

    @Test
    void approvalChecksTheRegistryAgainAndAStaleUpdateIsProposedAnew() {
        push("1.0.0");
        String image = track();
        String web = app("web", "1.0.0");
        String proposedDigest = push("1.1.0", "first");
        String id = (String) check(image, false).get("pendingUpdateId");
        String repushed = push("1.1.0", "second"); // the tag moves after the proposal
        assertNotEquals(proposedDigest, repushed);

        String start = cursor();
        as(operator).post(pendingUpdates() + "/" + id + "/approve").then().statusCode(409)
                .body("code", equalTo("CONFLICT")).body("message", containsString(repushed))
                .body("requestId", org.hamcrest.Matchers.startsWith("req_"));
        assertEquals("1.0.0", app(web).getString("source.image.tag"), "a stale approval moved the application");
        assertEquals(List.of(), eventsAfter(start), "a refused approval emitted an event");
        assertEquals(List.of(id), listed("superseded").stream().map(p -> p.get("id")).toList());

        Map<String, Object> anew = check(image, false);
        assertEquals("propose", anew.get("action"));
        assertEquals(repushed, anew.get("toDigest"));
        as(operator).post(pendingUpdates() + "/" + anew.get("pendingUpdateId") + "/approve").then().statusCode(200);
        assertEquals(repushed, app(web).getString("source.image.digest"));
    }

    @Test
    void policyOffSkipsAndAutoRollsOut() {
        push("1.0.0");
        String image = track();
        String web = app("web", "1.0.0");
        String next = push("1.1.0");
        as(admin).body(Map.of("autoUpdatePolicy", "off")).patch("/api/environments/" + environment).then().statusCode(200);

        Map<String, Object> skipped = check(image, false);
        assertEquals("skip", skipped.get("action"));
        assertEquals("autoUpdatePolicy is off for this environment.", skipped.get("reason"));
        assertEquals("1.1.0", skipped.get("toTag"), "the step still names the candidate");
        assertEquals("1.0.0", app(web).getString("source.image.tag"));
        assertEquals(List.of(), listed("all"));

        as(admin).body(Map.of("autoUpdatePolicy", "auto")).patch("/api/environments/" + environment).then().statusCode(200);
        assertEquals("update", check(image, false).get("action"));
        assertEquals(next, app(web).getString("source.image.digest"));
    }

    @Test
    void switchingToAutoSupersedesWhatWaited() {
        push("1.0.0");
        String image = track();
        String web = app("web", "1.0.0");
        push("1.1.0");
        String id = (String) check(image, false).get("pendingUpdateId");
        as(admin).body(Map.of("autoUpdatePolicy", "auto")).patch("/api/environments/" + environment).then().statusCode(200);
        assertEquals("update", check(image, false).get("action"));
        assertEquals("1.1.0", app(web).getString("source.image.tag"));
        assertEquals(List.of(id), listed("superseded").stream().map(p -> p.get("id")).toList());
        as(operator).post(pendingUpdates() + "/" + id + "/approve").then().statusCode(409);
    }

    @Test
    void theOpenApiDocumentDescribesThePendingUpdate() {
        JsonPath doc = io.restassured.RestAssured.given().accept("application/json").get("/q/openapi?format=json").then()
                .statusCode(200).extract().jsonPath();
        String approve = "paths.'/api/environments/{envId}/pending-updates/{id}/approve'.post";
        assertEquals("#/components/schemas/EnvironmentPendingUpdate",
                doc.getString(approve + ".responses.'200'.content.'application/json'.schema.$ref"));
        Map<String, Object> properties = doc.getMap("components.schemas.EnvironmentPendingUpdate.properties");
        for (String field : List.of("id", "applicationId", "fromTag", "fromDigest", "toTag", "toDigest", "status",
                "decidedBy")) {
            assertNotNull(properties.get(field), "EnvironmentPendingUpdate." + field);
        }
        assertEquals(List.of("pending", "approved", "rejected", "superseded"),
                doc.getList("components.schemas.PendingUpdateStatus.enum"));
        assertEquals(List.of("update", "skip", "propose"), doc.getList("components.schemas.Action.enum"));
        assertEquals(List.of("auto", "approve", "off"), doc.getList("components.schemas.AutoUpdatePolicy.enum"));
        // the container image's own pendingUpdate (minTagAgeMinutes) keeps its schema
        assertNotNull(doc.getMap("components.schemas.PendingUpdate.properties").get("eligibleAt"));
    }

    @Test
    void onlyOperatorsOfTheCompanyDecide() {
        push("1.0.0");
        String image = track();
        String web = app("web", "1.0.0");
        push("1.1.0");
        String id = (String) check(image, false).get("pendingUpdateId");

        String viewer = Tokens.token(company, "vera", "viewer", Tokens.ALL_SCOPES);
        as(viewer).get(pendingUpdates()).then().statusCode(200).body("total", equalTo(1));
        as(viewer).post(pendingUpdates() + "/" + id + "/approve").then().statusCode(403)
                .body("code", equalTo("FORBIDDEN_ROLE"));
        as(viewer).post(pendingUpdates() + "/" + id + "/reject").then().statusCode(403)
                .body("code", equalTo("FORBIDDEN_ROLE"));
        String readOnly = Tokens.token(company, "rob", "admin", "applications:read");
        as(readOnly).post(pendingUpdates() + "/" + id + "/approve").then().statusCode(403)
                .body("code", equalTo("FORBIDDEN_SCOPE")).body("message", containsString("applications:write"));
        String noScope = Tokens.token(company, "sam", "admin", "environments:read");
        as(noScope).get(pendingUpdates()).then().statusCode(403).body("code", equalTo("FORBIDDEN_SCOPE"));

        String stranger = Tokens.admin(Api.newCompany());
        String theirs = Api.createEnvironment(stranger, "theirs");
        as(stranger).get(pendingUpdates()).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        as(stranger).post(pendingUpdates() + "/" + id + "/approve").then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        as(stranger).post("/api/environments/" + theirs + "/pending-updates/" + id + "/approve").then().statusCode(404)
                .body("code", equalTo("NOT_FOUND"));
        as(stranger).post("/api/environments/" + theirs + "/pending-updates/" + id + "/reject").then().statusCode(404);
        as(stranger).get("/api/environments/" + theirs + "/pending-updates").then().statusCode(200)
                .body("total", equalTo(0));
        as(admin).post(pendingUpdates() + "/" + UUID.randomUUID() + "/approve").then().statusCode(404)
                .body("code", equalTo("NOT_FOUND"));
        as(admin).queryParam("status", "waiting").get(pendingUpdates()).then().statusCode(400)
                .body("field", equalTo("status"));

        // nothing of that changed anything
        assertEquals("1.0.0", app(web).getString("source.image.tag"));
        assertEquals("pending", listed(null).get(0).get("status"));
    }
}
