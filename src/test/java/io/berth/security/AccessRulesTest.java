package io.berth.security;

import static io.berth.testsupport.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/** Authentication and authorization: every failure kind and the role/scope rules of api.md. */
@QuarkusTest
class AccessRulesTest {

    private final UUID company = Api.newCompany();

    @Test
    void missingTokenIs401WithChallenge() {
        given().get("/api/environments").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("code", equalTo("UNAUTHORIZED")).body("requestId", notNullValue());
    }

    @Test
    void everyKindOfBadTokenIs401() {
        String valid = Tokens.admin(company);
        String[] bad = {
            "not-a-jwt",
            valid.substring(0, valid.length() - 4) + "AAAA", // tampered signature
            Tokens.claims(company, "alice", "admin", Tokens.ALL_SCOPES).sign(Tokens.key("keys/other-private.pem")),
            Tokens.claims(company, "alice", "admin", Tokens.ALL_SCOPES).expiresAt(Instant.now().minusSeconds(600))
                    .sign(Tokens.key("keys/test-private.pem")),
            Tokens.claims(company, "alice", "admin", Tokens.ALL_SCOPES).issuer("berth-dev")
                    .sign(Tokens.key("keys/test-private.pem")),
            unsigned(company),
        };
        for (String token : bad) {
            as(token).get("/api/environments").then().statusCode(401)
                    .header("WWW-Authenticate", "Bearer").body("code", equalTo("UNAUTHORIZED"));
        }
        given().header("Authorization", "Basic YWxpY2U6c2VjcmV0").get("/api/environments").then().statusCode(401)
                .body("code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void tokenWithoutTenantIs401() {
        as(Tokens.token(null, "alice", "admin", Tokens.ALL_SCOPES)).get("/api/environments").then().statusCode(401)
                .body("message", containsString("company_id"));
    }

    @Test
    void missingScopeIs403NamingTheScope() {
        String readOnly = Tokens.token(company, "carol", "admin", "environments:read");
        as(readOnly).get("/api/environments").then().statusCode(200);
        as(readOnly).body("{\"name\":\"x\"}").post("/api/environments").then().statusCode(403)
                .body("code", equalTo("FORBIDDEN_SCOPE")).body("message", containsString("environments:write"));
        String id = Api.createEnvironment(Tokens.admin(company), "scoped");
        as(Tokens.token(company, "carol", "admin", "environments:read environments:write"))
                .delete("/api/environments/" + id).then().statusCode(403)
                .body("code", equalTo("FORBIDDEN_SCOPE")).body("message", containsString("environments:delete"));
    }

    @Test
    void viewersReadButMayNotWrite() {
        String viewer = Tokens.token(company, "vera", "viewer", Tokens.ALL_SCOPES);
        as(viewer).get("/api/environments").then().statusCode(200);
        as(viewer).body("{\"name\":\"x\"}").post("/api/environments").then().statusCode(403)
                .body("code", equalTo("FORBIDDEN_ROLE")).body("message", containsString("operator"));
        String id = Api.createEnvironment(Tokens.admin(company), "viewed");
        as(viewer).delete("/api/environments/" + id).then().statusCode(403).body("code", equalTo("FORBIDDEN_ROLE"));
        as(viewer).get("/api/environments/" + id).then().statusCode(200);
    }

    @Test
    void operatorsWrite() {
        as(Tokens.token(company, "otto", "operator", Tokens.ALL_SCOPES)).body("{\"name\":\"ops\"}")
                .post("/api/environments").then().statusCode(201).body("createdBy", equalTo("otto"));
    }

    @Test
    void tokenWithoutRoleIs403() {
        as(Tokens.token(company, "nobody", "guest", Tokens.ALL_SCOPES)).get("/api/environments").then().statusCode(403)
                .body("code", equalTo("FORBIDDEN_ROLE"));
    }

    @Test
    void scopeMayAlsoBeAnArray() {
        String token = Tokens.claims(company, "arr", "viewer", null)
                .claim("scope", java.util.List.of("environments:read")).sign(Tokens.key("keys/test-private.pem"));
        as(token).get("/api/environments").then().statusCode(200);
    }

    /** {@code alg: none}: a token anyone can forge. */
    private static String unsigned(UUID company) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"iss\":\"" + Tokens.ISSUER + "\",\"sub\":\"eve\",\"company_id\":\""
                + company + "\",\"groups\":[\"admin\"],\"scope\":\"" + Tokens.ALL_SCOPES + "\",\"exp\":"
                + (Instant.now().getEpochSecond() + 600) + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".";
    }
}
