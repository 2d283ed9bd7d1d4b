package io.berth.environment;

import static io.berth.testsupport.Api.as;
import static io.berth.testsupport.Api.createEnvironment;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/** The environments resource over HTTP. Shared with EnvironmentResourceIT: HTTP only, no injection. */
@QuarkusTest
class EnvironmentResourceTest {

    private final UUID company = Api.newCompany();
    private final String admin = Tokens.admin(company);

    @Test
    void fullLifecycle() {
        String location = as(admin).body("{\"name\":\"staging-eu\",\"description\":\"EU staging\",\"tier\":\"staging\"}")
                .post("/api/environments")
                .then().statusCode(201)
                .header("ETag", "\"1\"")
                .body("name", equalTo("staging-eu"))
                .body("tier", equalTo("staging"))
                .body("version", equalTo(1))
                .body("createdBy", equalTo("alice"))
                .body("modifiedBy", equalTo("alice"))
                .body("createdAt", notNullValue())
                .extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertThatLocationIsAbsoluteUrlOf(location, id);

        as(admin).get("/api/environments/" + id).then().statusCode(200)
                .header("ETag", "\"1\"").body("id", equalTo(id)).body("description", equalTo("EU staging"));

        String bob = Tokens.token(company, "bob", "operator", Tokens.ALL_SCOPES);
        as(bob).body("{\"description\":null,\"tier\":\"production\"}").patch("/api/environments/" + id)
                .then().statusCode(200)
                .header("ETag", "\"2\"")
                .body("version", equalTo(2))
                .body("description", nullValue())
                .body("tier", equalTo("production"))
                .body("name", equalTo("staging-eu"))
                .body("createdBy", equalTo("alice"))
                .body("modifiedBy", equalTo("bob"));

        as(admin).get("/api/environments").then().statusCode(200)
                .body("total", equalTo(1)).body("items", hasSize(1)).body("items[0].id", equalTo(id));

        as(admin).delete("/api/environments/" + id).then().statusCode(204);
        as(admin).get("/api/environments/" + id).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        as(admin).get("/api/environments").then().body("total", equalTo(0));
    }

    private static void assertThatLocationIsAbsoluteUrlOf(String location, String id) {
        org.junit.jupiter.api.Assertions.assertTrue(location.matches("https?://[^/]+/api/environments/" + id),
                "Location should be the resource URL: " + location);
    }

    @Test
    void tierDefaultsToDevelopmentAndNameIsStoredAsSentOrRefused() {
        // issue 9: nothing is trimmed silently; surrounding whitespace is refused, naming the field
        as(admin).body("{\"name\":\"  dev  \"}").post("/api/environments")
                .then().statusCode(400).body("code", equalTo("VALIDATION_ERROR")).body("field", equalTo("name"));
        as(admin).body("{\"name\":\"dev\"}").post("/api/environments")
                .then().statusCode(201).body("tier", equalTo("development")).body("name", equalTo("dev"));
    }

    @Test
    void mergePatchMediaTypeIsAccepted() {
        String id = createEnvironment(admin, "merge");
        as(admin).contentType("application/merge-patch+json").body("{\"name\":\"merged\"}")
                .patch("/api/environments/" + id).then().statusCode(200).body("name", equalTo("merged"));
    }

    @Test
    void namesAreUniquePerCompanyIgnoringCase() {
        createEnvironment(admin, "prod");
        as(admin).body("{\"name\":\"PROD\"}").post("/api/environments")
                .then().statusCode(409).body("code", equalTo("CONFLICT")).body("field", equalTo("name"))
                .body("message", containsString("PROD"));
        String other = createEnvironment(admin, "other");
        as(admin).body("{\"name\":\"Prod\"}").patch("/api/environments/" + other)
                .then().statusCode(409).body("code", equalTo("CONFLICT"));
        // another company may use the same name
        createEnvironment(Tokens.admin(Api.newCompany()), "prod");
        // renaming to its own name in another case is fine
        as(admin).body("{\"name\":\"OTHER\"}").patch("/api/environments/" + other).then().statusCode(200);
    }

    @Test
    void invalidInputIsA400NamingTheFieldAndChangesNothing() {
        as(admin).body("{\"name\":\"\"}").post("/api/environments")
                .then().statusCode(400).body("code", equalTo("VALIDATION_ERROR")).body("field", equalTo("name"))
                .body("requestId", matchesPattern("req_[0-9A-HJKMNP-TV-Z]{26}"));
        as(admin).body("{\"name\":\"   \"}").post("/api/environments")
                .then().statusCode(400).body("field", equalTo("name"));
        as(admin).body("{\"name\":\"" + "x".repeat(51) + "\"}").post("/api/environments")
                .then().statusCode(400).body("field", equalTo("name"));
        as(admin).body("{\"tier\":\"staging\"}").post("/api/environments")
                .then().statusCode(400).body("field", equalTo("name"));
        as(admin).body("{\"name\":5}").post("/api/environments")
                .then().statusCode(400).body("code", equalTo("VALIDATION_ERROR")).body("field", equalTo("name"))
                .body("message", containsString("string"));
        as(admin).body("{\"name\":\"ok\",\"tier\":\"qa\"}").post("/api/environments")
                .then().statusCode(400).body("field", equalTo("tier")).body("message", containsString("production"));
        as(admin).body("{\"name\":\"ok\",\"colour\":\"red\"}").post("/api/environments")
                .then().statusCode(400).body("field", equalTo("colour")).body("message", containsString("Unknown field"));
        as(admin).body("{\"name\":\"ok\"").post("/api/environments")
                .then().statusCode(400).body("code", equalTo("VALIDATION_ERROR"))
                .body("message", containsString("Malformed JSON"));
        as(admin).body("[1,2]").post("/api/environments").then().statusCode(400).body("code", equalTo("VALIDATION_ERROR"));
        as(admin).body("").post("/api/environments").then().statusCode(400).body("code", equalTo("VALIDATION_ERROR"));

        String id = createEnvironment(admin, "stable");
        as(admin).body("{\"name\":null}").patch("/api/environments/" + id)
                .then().statusCode(400).body("field", equalTo("name"));
        as(admin).body("{\"tier\":null}").patch("/api/environments/" + id)
                .then().statusCode(400).body("field", equalTo("tier"));
        as(admin).get("/api/environments").then().body("total", equalTo(1)).body("items[0].version", equalTo(1));
    }

    @Test
    void readOnlyFieldsAre422AndNothingIsApplied() {
        String id = createEnvironment(admin, "ro");
        as(admin).body("{\"name\":\"renamed\",\"version\":7,\"createdBy\":\"mallory\"}").patch("/api/environments/" + id)
                .then().statusCode(422)
                .body("code", equalTo("READONLY_FIELD"))
                .body("field", equalTo("version"))
                .body("message", containsString("\"version\""))
                .body("message", containsString("\"createdBy\""))
                .body("hint", containsString("If-Match"));
        as(admin).body("{\"name\":\"x\",\"id\":\"" + UUID.randomUUID() + "\"}").post("/api/environments")
                .then().statusCode(422).body("field", equalTo("id"));
        as(admin).get("/api/environments/" + id).then().body("name", equalTo("ro")).body("version", equalTo(1));
    }

    @Test
    void aPatchThatChangesNothingKeepsTheVersion() {
        String id = createEnvironment(admin, "same");
        as(admin).body("{\"name\":\"same\",\"description\":null,\"tier\":\"staging\"}").patch("/api/environments/" + id)
                .then().statusCode(200).header("ETag", "\"1\"").body("version", equalTo(1));
        as(admin).contentType("application/merge-patch+json").body("{}").patch("/api/environments/" + id)
                .then().statusCode(200).body("version", equalTo(1)).body("name", equalTo("same"))
                .body("tier", equalTo("staging"));
    }

    @Test
    void ifMatchGuardsAgainstLostUpdates() {
        String id = createEnvironment(admin, "guarded");
        as(admin).header("If-Match", "\"1\"").body("{\"description\":\"first\"}").patch("/api/environments/" + id)
                .then().statusCode(200).header("ETag", "\"2\"");
        as(admin).header("If-Match", "\"1\"").body("{\"description\":\"lost\"}").patch("/api/environments/" + id)
                .then().statusCode(409).body("code", equalTo("CONFLICT")).body("hint", containsString("Re-read"));
        as(admin).header("If-Match", "W/\"2\"").body("{\"description\":\"second\"}").patch("/api/environments/" + id)
                .then().statusCode(200).body("version", equalTo(3));
        as(admin).header("If-Match", "\"2\"").delete("/api/environments/" + id).then().statusCode(409);
        as(admin).header("If-Match", "banana").delete("/api/environments/" + id)
                .then().statusCode(400).body("field", equalTo("If-Match"));
        as(admin).get("/api/environments/" + id).then().body("description", equalTo("second"));
        as(admin).header("If-Match", "\"3\"").delete("/api/environments/" + id).then().statusCode(204);
    }

    @Test
    void paginationPagesAndRejectsBadBounds() {
        for (int i = 0; i < 5; i++) {
            createEnvironment(admin, "page-" + i);
        }
        as(admin).queryParam("limit", 2).queryParam("offset", 1).get("/api/environments").then().statusCode(200)
                .body("total", equalTo(5)).body("limit", equalTo(2)).body("offset", equalTo(1))
                .body("items", hasSize(2)).body("items[0].name", equalTo("page-1")).body("items[1].name", equalTo("page-2"));
        as(admin).get("/api/environments").then().body("limit", equalTo(25)).body("offset", equalTo(0))
                .body("items", hasSize(5));
        as(admin).queryParam("offset", 10).get("/api/environments").then().statusCode(200)
                .body("items", hasSize(0)).body("total", equalTo(5));
        as(admin).queryParam("limit", 200).get("/api/environments").then().statusCode(200);
        as(admin).queryParam("limit", 201).get("/api/environments").then().statusCode(400)
                .body("code", equalTo("VALIDATION_ERROR")).body("field", equalTo("limit"));
        as(admin).queryParam("limit", -1).get("/api/environments").then().statusCode(400).body("field", equalTo("limit"));
        as(admin).queryParam("offset", -1).get("/api/environments").then().statusCode(400).body("field", equalTo("offset"));
        as(admin).queryParam("limit", "ten").get("/api/environments").then().statusCode(400).body("field", equalTo("limit"));
    }

    @Test
    void anotherCompanysEnvironmentsDoNotExistForYou() {
        String mine = createEnvironment(admin, "mine");
        String intruder = Tokens.admin(Api.newCompany());
        createEnvironment(intruder, "theirs");

        as(intruder).get("/api/environments/" + mine).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        as(intruder).body("{\"name\":\"stolen\"}").patch("/api/environments/" + mine).then().statusCode(404);
        as(intruder).delete("/api/environments/" + mine).then().statusCode(404);
        as(intruder).get("/api/environments").then().body("total", equalTo(1))
                .body("items.id", everyItem(not(equalTo(mine))));
        as(admin).get("/api/environments/" + mine).then().statusCode(200).body("name", equalTo("mine"));
    }

    @Test
    void unknownOrMalformedIdsAre404() {
        as(admin).get("/api/environments/" + UUID.randomUUID()).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        as(admin).get("/api/environments/not-a-uuid").then().statusCode(404).body("code", equalTo("NOT_FOUND"));
    }
}
