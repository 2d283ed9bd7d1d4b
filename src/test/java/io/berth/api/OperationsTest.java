package io.berth.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Health, metrics and the OpenAPI document. Shared with OperationsIT: HTTP only. */
@QuarkusTest
class OperationsTest {

    @Test
    void healthEndpointsAreUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsArePrometheusText() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }

    @Test
    void everyApiOperationDocumentsItsScopeAndErrors() {
        JsonPath doc = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("http", doc.getString("components.securitySchemes.bearer.type"));
        assertEquals("bearer", doc.getString("components.securitySchemes.bearer.scheme"));
        assertTrue(doc.getList("components.schemas.Error.properties.code.enum").contains("READONLY_FIELD"));

        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        assertTrue(paths.containsKey("/api/environments/{id}"));
        assertTrue(paths.containsKey("/api/hooks/registries/{connectionId}"));
        assertFalse(paths.keySet().stream().anyMatch(p -> p.startsWith("/dev") || p.startsWith("/test-only")));
        paths.forEach((path, operations) -> operations.forEach((method, raw) -> {
            if (!path.startsWith("/api") || !List.of("get", "post", "put", "patch", "delete").contains(method)) {
                return;
            }
            String where = method.toUpperCase() + " " + path;
            JsonPath op = JsonPath.from(doc.prettify()).setRootPath("paths.'" + path + "'." + method);
            if (path.startsWith("/api/hooks/")) {
                // registries' notifications: no bearer token, the connection's webhook secret instead
                assertTrue(op.getList("security") == null, where + " needs no bearer token");
                for (String status : List.of("400", "401", "413", "429", "500", "503")) {
                    assertTrue(op.getMap("responses").containsKey(status), where + " documents " + status);
                }
                return;
            }
            List<String> scopes = op.getList("security[0].bearer");
            assertEquals(1, scopes.size(), where + " names exactly one scope");
            assertTrue(scopes.get(0).matches("(environments|registries|container-images|applications|events|webhooks):(read|write|delete)"),
                    where + " scope " + scopes.get(0));
            Map<String, Object> responses = op.getMap("responses");
            for (String status : List.of("400", "401", "403", "429", "500", "503")) {
                assertTrue(responses.containsKey(status), where + " documents " + status);
            }
            assertEquals("#/components/responses/Unauthorized", op.getString("responses.'401'.$ref"), where);
        }));
        // Each referenced error response exists once, with the Error schema and an example envelope.
        for (String name : List.of("BadRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict",
                "UnprocessableContent", "ContentTooLarge", "TooManyRequests", "InternalServerError", "ServiceUnavailable",
                "HookUnauthorized")) {
            String json = "components.responses." + name + ".content.'application/json'";
            assertEquals("#/components/schemas/Error", doc.getString(json + ".schema.$ref"), name);
            assertTrue(doc.getString(json + ".examples.example.value.code") != null, name + " has an example");
        }
        assertEquals("Idempotency-Key", doc.getString("components.parameters.IdempotencyKey.name"));
        assertEquals("#/components/parameters/IdempotencyKey",
                doc.getString("paths.'/api/environments'.post.parameters.find { it.$ref != null }.$ref"));
    }

    /**
     * The packaged application prepares the document on its first request (DeferredOpenApiDocumentService;
     * OperationsIT runs this against it): requests that arrive together, in either format, all get the
     * whole document.
     */
    @Test
    void theDocumentIsServedWholeInBothFormatsToConcurrentFirstRequests() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String format = i % 2 == 0 ? "json" : "yaml";
                answers.add(pool.submit(() -> given().get("/q/openapi?format=" + format).then().statusCode(200)
                        .extract().asString()));
            }
            for (int i = 0; i < answers.size(); i++) {
                String body = answers.get(i).get(30, TimeUnit.SECONDS);
                if (i % 2 == 0) {
                    assertEquals("3.1.0", JsonPath.from(body).getString("openapi"));
                    assertTrue(JsonPath.from(body).getMap("paths").containsKey("/api/environments/{id}"));
                } else {
                    assertTrue(body.contains("openapi: 3.1.0"), body.substring(0, Math.min(200, body.length())));
                    assertTrue(body.contains("/api/environments/{id}:"));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
