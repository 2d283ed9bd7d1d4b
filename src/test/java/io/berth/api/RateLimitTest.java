package io.berth.api;

import static io.berth.testsupport.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(RateLimitTest.SmallBudget.class)
class RateLimitTest {

    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.rate-limit.requests", "3", "berth.rate-limit.period", "1H");
        }
    }

    @Test
    void aCallerOverBudgetIs429WithRetryAfter() {
        UUID company = Api.newCompany();
        String token = Tokens.admin(company);
        long started = System.nanoTime();
        as(token).get("/api/environments").then().statusCode(200)
                .header("RateLimit-Limit", "3").header("RateLimit-Remaining", "2").header("RateLimit-Reset", notNullValue());
        as(token).get("/api/environments").then().statusCode(200).header("RateLimit-Remaining", "1");
        as(token).get("/api/environments").then().statusCode(200).header("RateLimit-Remaining", "0");
        String retryAfter = as(token).get("/api/environments").then().statusCode(429)
                .body("code", equalTo("RATE_LIMITED"))
                .header("RateLimit-Remaining", "0").extract().header("Retry-After");
        // one token per 20 minutes, less what refilled while the four requests ran
        long elapsed = (long) Math.ceil((System.nanoTime() - started) / 1e9);
        long seconds = Long.parseLong(retryAfter);
        org.junit.jupiter.api.Assertions.assertTrue(seconds <= 1200 && seconds >= 1200 - elapsed,
                "Retry-After " + seconds + " after " + elapsed + " s");

        // another caller of the same company has a budget of their own
        as(Tokens.token(company, "bob", "admin", Tokens.ALL_SCOPES)).get("/api/environments").then().statusCode(200);
        // health, metrics and the OpenAPI document are never limited
        for (int i = 0; i < 5; i++) {
            given().get("/q/health/live").then().statusCode(200);
        }
    }

    @Test
    void unauthenticatedCallersAreLimitedPerAddress() {
        int limited = 0;
        for (int i = 0; i < 5; i++) {
            int status = given().get("/api/environments").then().extract().statusCode();
            limited += status == 429 ? 1 : 0;
        }
        org.junit.jupiter.api.Assertions.assertTrue(limited >= 2, "anonymous requests beyond the budget are limited");
    }
}
