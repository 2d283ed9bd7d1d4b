package io.berth.api;

import static io.berth.testsupport.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.ImagePusher;
import io.berth.testsupport.ImagePusher.Image;
import io.berth.testsupport.Registries;
import io.berth.testsupport.StatementCounter;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Issue 15: what each write costs the database, per request, counted by Hibernate
 * ({@link StatementCounter}): one session, one pooled connection and one transaction per write,
 * with Idempotency-Key bookkeeping as the only extra transactions (claim before, record after),
 * a bounded number of statements, and an UPDATE that sets only the columns that changed.
 * The counts printed here are the ones in bench/results/2026-12-01-statements.md.
 */
@QuarkusTest
@TestProfile(StatementCounter.Profile.class)
class StatementCountTest {

    private static final List<String> REPORT = new ArrayList<>();

    private final UUID company = Api.newCompany();
    private final String admin = Tokens.admin(company);

    /** Sends one request with a fresh X-Request-Id and answers what it cost. */
    private StatementCounter.Counts measure(String label, int expectedStatus,
            Function<RequestSpecification, Response> request) {
        String id = "count-" + UUID.randomUUID();
        request.apply(as(admin).header("X-Request-Id", id)).then().statusCode(expectedStatus);
        StatementCounter.Counts counts = StatementCounter.of(id);
        REPORT.add(String.format("| %s | %d | %d | %d | %d |", label, counts.statements, counts.transactions,
                counts.connections, counts.sessions));
        System.out.println("[statements] " + label + ": " + counts);
        return counts;
    }

    /**
     * {@code -Dstatements.measureOnly=true} prints the counts without asserting them: how the
     * "before" column of the results was measured on the commit before the change.
     */
    private static final boolean MEASURE_ONLY = Boolean.getBoolean("statements.measureOnly");

    private static void assertOneTransaction(StatementCounter.Counts counts, int maxStatements) {
        if (MEASURE_ONLY) {
            return;
        }
        assertEquals(1, counts.transactions, "one transaction: " + counts);
        assertEquals(1, counts.connections, "one pooled connection: " + counts);
        assertEquals(1, counts.sessions, "one session: " + counts);
        assertTrue(counts.statements <= maxStatements, "at most " + maxStatements + " statements: " + counts);
    }

    /**
     * Writes that ask a registry first (tracking an image, creating an application) read what the
     * registry call needs outside any transaction, so no connection is held while the registry
     * answers; the write itself is still one transaction.
     */
    private static void assertRegistryFirst(StatementCounter.Counts counts, int maxStatements) {
        if (MEASURE_ONLY) {
            return;
        }
        assertEquals(1, counts.transactions, "one transaction: " + counts);
        assertEquals(2, counts.sessions, "the reads before the registry call, then the write: " + counts);
        assertTrue(counts.statements <= maxStatements, "at most " + maxStatements + " statements: " + counts);
    }

    private static void assertOnlyChanged(StatementCounter.Counts counts, String table, String changed,
            String... unchanged) {
        if (MEASURE_ONLY) {
            return;
        }
        String sql = update(counts, table);
        assertTrue(sql.contains(changed + "="), "sets " + changed + ": " + sql);
        for (String column : unchanged) {
            assertFalse(sql.contains(" " + column + "=") || sql.contains("," + column + "="),
                    "leaves " + column + " alone: " + sql);
        }
    }

    private static String update(StatementCounter.Counts counts, String table) {
        return counts.sql.stream().filter(s -> s.startsWith("update " + table + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no update of " + table + ": " + counts));
    }

    @AfterAll
    static void report() {
        System.out.println("[statements] | request | statements | transactions | connections | sessions |");
        REPORT.forEach(line -> System.out.println("[statements] " + line));
    }

    @Test
    void environmentWrites() {
        measure("POST /api/environments", 201, r -> r.body("{\"name\":\"staging\",\"tier\":\"staging\"}")
                .post("/api/environments"));
        String id = as(admin).get("/api/environments").then().extract().path("items[0].id");
        String path = "/api/environments/" + id;

        StatementCounter.Counts patch = measure("PATCH /api/environments/{id} (name)", 200,
                r -> r.body("{\"name\":\"staging-2\"}").patch(path));
        assertOneTransaction(patch, 3); // select, name check, update
        assertOnlyChanged(patch, "environments", "name", "description", "tier", "auto_update_policy", "created_by");

        StatementCounter.Counts ifMatch = measure("PATCH /api/environments/{id} (If-Match)", 200,
                r -> r.header("If-Match", "\"2\"").body("{\"description\":\"eu\"}").patch(path));
        assertOneTransaction(ifMatch, 2); // select, update

        StatementCounter.Counts keyed = measure("PATCH /api/environments/{id} (Idempotency-Key)", 200,
                r -> r.header("Idempotency-Key", UUID.randomUUID().toString()).body("{\"description\":\"us\"}").patch(path));
        // claim (its own transaction: IN_PROGRESS must be visible to other requests before the work),
        // the work, and the stored answer (its own transaction: after the response is known)
        if (!MEASURE_ONLY) {
            assertEquals(3, keyed.transactions, keyed.toString());
            assertTrue(keyed.statements <= 2 + 2 + 1, keyed.toString());
        }

        StatementCounter.Counts create = measure("POST /api/environments (2nd)", 201,
                r -> r.body("{\"name\":\"prod\",\"tier\":\"production\"}").post("/api/environments"));
        assertOneTransaction(create, 2); // name check, insert

        StatementCounter.Counts delete = measure("DELETE /api/environments/{id}", 204, r -> r.delete(path));
        assertOneTransaction(delete, 4); // select, references (images, applications), delete
    }

    @Test
    void registryConnectionWrites() {
        String location = as(admin).body(Map.of("name", "hub", "registryUrl", Registries.ANONYMOUS.host(), "insecure", true))
                .post("/api/registries").then().statusCode(201).extract().header("Location");
        String path = location.substring(location.indexOf("/api/"));
        StatementCounter.Counts create = measure("POST /api/registries", 201, r -> r.body(Map.of("name", "hub-2",
                "registryUrl", Registries.ANONYMOUS.host(), "insecure", true)).post("/api/registries"));
        assertOneTransaction(create, 3);

        StatementCounter.Counts patch = measure("PATCH /api/registries/{id} (name)", 200,
                r -> r.body("{\"name\":\"hub-3\"}").patch(path));
        assertOneTransaction(patch, 4); // select, name check, update, images using it (view)
        assertOnlyChanged(patch, "registry_connections", "name", "registry_url", "password_enc", "token_enc",
                "username", "type", "insecure");

        StatementCounter.Counts delete = measure("DELETE /api/registries/{id}", 204, r -> r.delete(path));
        assertOneTransaction(delete, 5);
    }

    @Test
    void webhookWrites() {
        Map<String, Object> body = Map.of("url", "https://127.0.0.1:9/berth", "secret", "whsec_" + "a".repeat(32));
        StatementCounter.Counts create = measure("POST /api/webhooks", 201, r -> r.body(body).post("/api/webhooks"));
        assertOneTransaction(create, 3);
        String id = as(admin).get("/api/webhooks").then().extract().path("items[0].id");
        String path = "/api/webhooks/" + id;

        StatementCounter.Counts patch = measure("PATCH /api/webhooks/{id} (active)", 200,
                r -> r.body("{\"active\":false}").patch(path));
        assertOneTransaction(patch, 2);
        assertOnlyChanged(patch, "webhooks", "active", "url", "secret_enc", "types");

        StatementCounter.Counts delete = measure("DELETE /api/webhooks/{id}", 204, r -> r.delete(path));
        assertOneTransaction(delete, 4);
    }

    @Test
    void containerImageAndApplicationWrites() {
        String repository = "count/web-" + UUID.randomUUID().toString().substring(0, 8);
        Registries.pusher(Registries.ANONYMOUS).push(repository, "1.0.0", Image.linux("80/tcp"), ImagePusher.OCI_MANIFEST);
        String environment = Api.createEnvironment(admin, "env");
        String imageName = Registries.ANONYMOUS.host() + "/" + repository;

        StatementCounter.Counts track = measure("POST /api/environments/{id}/container-images", 201,
                r -> r.body(Map.of("name", "web", "imageName", imageName, "tagFilter", "1.*", "autoUpdate", false))
                        .post("/api/environments/" + environment + "/container-images"));
        assertRegistryFirst(track, 8);
        String image = as(admin).get("/api/environments/" + environment + "/container-images").then()
                .extract().path("items[0].id");
        String imagePath = "/api/container-images/" + image;

        StatementCounter.Counts patch = measure("PATCH /api/container-images/{id} (name)", 200,
                r -> r.body("{\"name\":\"web-2\"}").patch(imagePath));
        assertOneTransaction(patch, 2);
        assertOnlyChanged(patch, "container_images", "name", "tag_filter", "best_tag", "image_ref", "platforms");

        String apps = "/api/environments/" + environment + "/app";
        StatementCounter.Counts create = measure("POST /api/environments/{id}/app", 201, r -> r.body(Map.of("name", "web",
                "source", Map.of("image", Map.of("name", imageName, "tag", "1.0.0")),
                "resources", Map.of("cpu", 1000, "memory", 512, "storage", 10240), "port", 80)).post(apps));
        assertRegistryFirst(create, 10);
        String app = as(admin).get(apps).then().extract().path("items[0].id");

        StatementCounter.Counts put = measure("PUT /api/environments/{id}/app/{id} (port)", 200,
                r -> r.body(Map.of("port", 8080)).put(apps + "/" + app));
        assertOneTransaction(put, 8);

        measure("DELETE /api/environments/{id}/app/{id}", 204, r -> r.delete(apps + "/" + app));
        StatementCounter.Counts delete = measure("DELETE /api/container-images/{id}", 204, r -> r.delete(imagePath));
        assertOneTransaction(delete, 4);
    }
}
