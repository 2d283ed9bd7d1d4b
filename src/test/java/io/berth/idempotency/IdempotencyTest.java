package io.berth.idempotency;

import static io.berth.testsupport.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/** Idempotency-Key semantics of api.md, against the real database. Shared with IdempotencyIT. */
@QuarkusTest
class IdempotencyTest {

    private final UUID company = Api.newCompany();
    private final String admin = Tokens.admin(company);

    @Test
    void sameKeyAndBodyReplaysTheFirstResponse() {
        String key = UUID.randomUUID().toString();
        ExtractableResponse<Response> first = as(admin).header("Idempotency-Key", key).body("{\"name\":\"once\"}")
                .post("/api/environments").then().statusCode(201).header("Idempotent-Replayed", nullValue()).extract();
        ExtractableResponse<Response> again = as(admin).header("Idempotency-Key", key).body("{\"name\":\"once\"}")
                .post("/api/environments").then().statusCode(201).header("Idempotent-Replayed", "true").extract();
        assertEquals(first.<String>path("id"), again.path("id"));
        assertEquals(first.header("Location"), again.header("Location"));
        assertEquals(first.header("ETag"), again.header("ETag"));
        as(admin).get("/api/environments").then().body("total", equalTo(1));
    }

    @Test
    void sameKeyWithAnotherBodyIs422() {
        String key = UUID.randomUUID().toString();
        as(admin).header("Idempotency-Key", key).body("{\"name\":\"a\"}").post("/api/environments").then().statusCode(201);
        as(admin).header("Idempotency-Key", key).body("{\"name\":\"b\"}").post("/api/environments").then().statusCode(422)
                .body("code", equalTo("IDEMPOTENCY_KEY_REUSED")).body("field", equalTo("Idempotency-Key"));
        as(admin).get("/api/environments").then().body("total", equalTo(1));
    }

    @Test
    void patchIsIdempotentToo() {
        String id = Api.createEnvironment(admin, "patched");
        String key = UUID.randomUUID().toString();
        as(admin).header("Idempotency-Key", key).body("{\"description\":\"d\"}").patch("/api/environments/" + id)
                .then().statusCode(200).body("version", equalTo(2));
        as(admin).header("Idempotency-Key", key).body("{\"description\":\"d\"}").patch("/api/environments/" + id)
                .then().statusCode(200).header("Idempotent-Replayed", "true").body("version", equalTo(2));
        as(admin).get("/api/environments/" + id).then().body("version", equalTo(2));
    }

    @Test
    void keysBelongToTheirCaller() {
        String key = UUID.randomUUID().toString();
        as(admin).header("Idempotency-Key", key).body("{\"name\":\"mine\"}").post("/api/environments").then().statusCode(201);
        String colleague = Tokens.token(company, "bob", "admin", Tokens.ALL_SCOPES);
        as(colleague).header("Idempotency-Key", key).body("{\"name\":\"his\"}").post("/api/environments")
                .then().statusCode(201).header("Idempotent-Replayed", nullValue()).body("createdBy", equalTo("bob"));
    }

    @Test
    void failuresAreNotStoredSoTheRequestCanBeRetried() {
        String blocker = Api.createEnvironment(admin, "taken");
        String key = UUID.randomUUID().toString();
        as(admin).header("Idempotency-Key", key).body("{\"name\":\"taken\"}").post("/api/environments").then().statusCode(409);
        as(admin).delete("/api/environments/" + blocker).then().statusCode(204);
        as(admin).header("Idempotency-Key", key).body("{\"name\":\"taken\"}").post("/api/environments")
                .then().statusCode(201).header("Idempotent-Replayed", nullValue());
    }

    @Test
    void keysAreBounded() {
        as(admin).header("Idempotency-Key", "k".repeat(201)).body("{\"name\":\"long\"}").post("/api/environments")
                .then().statusCode(400).body("code", equalTo("VALIDATION_ERROR")).body("field", equalTo("Idempotency-Key"));
        as(admin).header("Idempotency-Key", "k".repeat(200)).body("{\"name\":\"long\"}").post("/api/environments")
                .then().statusCode(201);
        as(admin).get("/api/environments").then().body("total", equalTo(1));
    }
}
