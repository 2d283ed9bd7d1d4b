package io.berth.api;

import static io.berth.testsupport.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.berth.testsupport.Api;
import io.berth.testsupport.LogCapture;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Unexpected failures (a test-only route that throws): 500 INTERNAL without details, logged once,
 * and every log line of the request carries its id, the access log included.
 */
@QuarkusTest
class RequestLoggingTest {

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    @Test
    void unexpectedFailuresAre500WithoutDetails() {
        String body = ErrorContractTest.envelope(as(Tokens.admin(Api.newCompany())).get("/test-only/boom")
                .then().statusCode(500), "INTERNAL").extract().asString();
        assertFalse(body.contains("hunter2") || body.contains("IllegalState")
                || body.contains("at io.berth"), body);
    }

    @Test
    void unexpectedFailureIsLoggedOnceWithTheRequestId() throws InterruptedException {
        as(Tokens.admin(Api.newCompany())).header("X-Request-Id", "trace-boom-1").get("/test-only/boom")
                .then().statusCode(500);
        Thread.sleep(200); // the access log is written as the response completes
        List<ExtLogRecord> failures = logs.records().stream()
                .filter(r -> r.getLoggerName().equals(ExceptionMappers.class.getName())).toList();
        assertEquals(1, failures.size(), "logged exactly once");
        assertEquals("trace-boom-1", failures.get(0).getMdc(RequestIds.MDC_KEY));
        List<ExtLogRecord> access = logs.records().stream()
                .filter(r -> r.getLoggerName().contains("access-log") && r.getMessage().contains("/test-only/boom")).toList();
        assertFalse(access.isEmpty(), "the request is in the access log");
        assertTrue(access.get(0).getFormattedMessage().contains("requestId=trace-boom-1"));
    }

    /** Query strings may carry secrets (a registry's ?token=): the access log shows the path alone, for every path. */
    @Test
    void theAccessLogNeverShowsAQueryString() throws InterruptedException {
        String secret = "bhk_never-logged-" + java.util.UUID.randomUUID();
        as(Tokens.admin(Api.newCompany())).queryParam("token", secret).get("/api/environments").then().statusCode(200);
        io.restassured.RestAssured.given().queryParam("token", secret).contentType("application/json").body("{}")
                .post("/api/hooks;v=1/registries/" + java.util.UUID.randomUUID());
        io.restassured.RestAssured.given().queryParam("token", secret).get("/API/hooks/registries/x");
        Thread.sleep(200); // the access log is written as the response completes
        List<ExtLogRecord> access = logs.records().stream().filter(r -> r.getLoggerName().contains("access-log")).toList();
        assertTrue(access.stream().anyMatch(r -> r.getFormattedMessage().contains("\"GET /api/environments HTTP/1.1\"")),
                "the request is logged, path only");
        assertTrue(logs.records().stream().noneMatch(r -> r.getFormattedMessage() != null
                && r.getFormattedMessage().contains(secret)), "the secret is in no log line");
    }
}
