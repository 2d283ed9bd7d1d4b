package io.berth.api;

import static io.berth.testsupport.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Responses Quarkus itself produces, and request ids, all in the contract's envelope. Shared with
 * ErrorContractIT: HTTP only, no test-only routes.
 */
@QuarkusTest
class ErrorContractTest {

    private final String admin = Tokens.admin(Api.newCompany());

    static ValidatableResponse envelope(ValidatableResponse response, String code) {
        return response.contentType(containsString("application/json"))
                .body("code", equalTo(code))
                .body("message", notNullValue())
                .body("requestId", matchesPattern("req_[0-9A-HJKMNP-TV-Z]{26}"));
    }

    @Test
    void unknownRoutesAre404Envelopes() {
        envelope(as(admin).get("/api/nothing-here").then().statusCode(404), "NOT_FOUND");
        envelope(given().get("/nothing/at/all").then().statusCode(404), "NOT_FOUND");
        envelope(given().accept("text/html").get("/").then().statusCode(404), "NOT_FOUND");
    }

    @Test
    void wrongMethodIs405() {
        envelope(as(admin).put("/api/environments").then().statusCode(405), "VALIDATION_ERROR")
                .body("hint", containsString("/q/openapi"));
    }

    @Test
    void unsupportedMediaTypeIs415() {
        envelope(as(admin).contentType("text/plain").body("name=x").post("/api/environments").then().statusCode(415),
                "VALIDATION_ERROR").body("field", equalTo("Content-Type"));
    }

    @Test
    void notAcceptableIs406() {
        envelope(as(admin).accept("application/xml").get("/api/environments").then().statusCode(406),
                "VALIDATION_ERROR");
    }

    @Test
    void requestIdIsEchoedWhenSaneAndGeneratedOtherwise() {
        as(admin).header("X-Request-Id", "trace-42.a_b").get("/api/environments/" + UUID.randomUUID())
                .then().statusCode(404).header("X-Request-Id", "trace-42.a_b").body("requestId", equalTo("trace-42.a_b"));
        String insane = "evil\u0007id with spaces";
        as(admin).header("X-Request-Id", "x".repeat(129)).get("/api/environments/" + UUID.randomUUID())
                .then().header("X-Request-Id", matchesPattern("req_[0-9A-HJKMNP-TV-Z]{26}"));
        as(admin).header("X-Request-Id", insane.replace('\u0007', '!')).get("/api/environments").then().statusCode(200)
                .header("X-Request-Id", not(containsString(" ")));
        as(admin).get("/api/environments").then().statusCode(200)
                .header("X-Request-Id", matchesPattern("req_[0-9A-HJKMNP-TV-Z]{26}"));
        given().get("/q/health/live").then().statusCode(200).header("X-Request-Id", notNullValue());
    }

    @Test
    void theSameIdIsInHeaderAndBody() {
        var response = given().get("/api/environments").then().statusCode(401).extract();
        org.junit.jupiter.api.Assertions.assertEquals(response.header("X-Request-Id"), response.path("requestId"));
    }
}
