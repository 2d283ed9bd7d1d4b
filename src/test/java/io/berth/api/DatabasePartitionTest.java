package io.berth.api;

import static io.berth.testsupport.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.berth.idempotency.IdempotencyStore;
import io.berth.testsupport.Api;
import io.berth.testsupport.PartitionProxy;
import io.berth.testsupport.PartitionedDatabaseResource;
import io.berth.testsupport.Tokens;
import io.berth.update.AutoUpdater;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The network to PostgreSQL drops packets (nothing is refused, nothing closes): every request still
 * answers within a bound, with 503 and Retry-After, readiness goes DOWN, nothing is half-written,
 * and the service recovers by itself once the network heals. The application runs with its own
 * database settings from application.properties; only the URL points through the proxy.
 */
@QuarkusTest
@TestProfile(DatabasePartitionTest.BehindAPartitionableNetwork.class)
class DatabasePartitionTest {

    public static class BehindAPartitionableNetwork implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PartitionedDatabaseResource.class));
        }
    }

    /** What README promises: a database that stops answering costs a request at most this long. */
    private static final Duration BOUND = Duration.ofSeconds(8);
    private static final String IN_FLIGHT_MARKER = "in-flight-7f3a9c";

    /** Injected by PartitionedDatabaseResource. */
    PartitionProxy network;

    @Inject
    AutoUpdater autoUpdater;

    @Inject
    IdempotencyStore idempotency;

    @Inject
    AgroalDataSource dataSource;

    @AfterEach
    void healNetwork() {
        network.heal();
    }

    @Test
    void everyRequestAnswers503QuicklyDuringAPartitionAndNothingIsHalfWritten() throws Exception {
        String token = Tokens.admin(Api.newCompany());
        String inFlight = Api.createEnvironment(token, "in-flight");
        String patched = Api.createEnvironment(token, "patched");
        String kept = Api.createEnvironment(token, "kept");
        long versionBefore = version(token, patched);
        assertEquals(versionBefore, version(token, inFlight));
        fillThePool(token);
        given().get("/q/health/ready").then().statusCode(200);

        // A PATCH in flight: the network goes the moment its UPDATE leaves for the database.
        network.partitionWhenClientSends(IN_FLIGHT_MARKER);
        assertAnswers503Quickly("PATCH in flight", () -> as(token)
                .body("{\"description\":\"" + IN_FLIGHT_MARKER + "\"}").patch("/api/environments/" + inFlight));
        assertTrue(network.partitioned(), "the PATCH's UPDATE reached the network and cut it");

        // Requests arriving during the partition: pooled connections that no longer answer, then new ones.
        for (int i = 0; i < 3; i++) {
            assertAnswers503Quickly("GET #" + i, () -> as(token).get("/api/environments/" + kept));
        }
        assertAnswers503Quickly("list", () -> as(token).get("/api/environments"));
        assertAnswers503Quickly("POST", () -> as(token)
                .body("{\"name\":\"posted-during-partition\",\"tier\":\"production\"}").post("/api/environments"));
        assertAnswers503Quickly("PATCH", () -> as(token)
                .body("{\"name\":\"renamed-during-partition\"}").patch("/api/environments/" + patched));
        assertAnswers503Quickly("POST with Idempotency-Key", () -> as(token).header("Idempotency-Key", "partition-1")
                .body("{\"name\":\"idempotent-post\",\"tier\":\"staging\"}").post("/api/environments"));
        assertAnswers503Quickly("DELETE", () -> as(token).delete("/api/environments/" + kept));

        long started = System.nanoTime();
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        assertWithinBound("readiness", started);
        given().get("/q/health/live").then().statusCode(200);

        // Background jobs neither hang nor take the instance down; the scheduler runs them again later.
        assertFinishesWithinBound("auto-update round", () -> autoUpdater.runDue());
        assertFinishesWithinBound("idempotency purge", this::purgeExpiredIdempotencyKeys);

        // Heal: the service answers again within a few seconds, without a restart.
        network.heal();
        awaitRecovery(token, kept);

        // Nothing half-written: every write above was cut before its commit, so none of it is visible,
        // not even the in-flight UPDATE that reached the database once the network healed.
        Map<String, Object> first = as(token).get("/api/environments/" + inFlight).then().statusCode(200)
                .extract().jsonPath().getMap("");
        assertNull(first.get("description"), "the in-flight PATCH was rolled back: " + first);
        assertEquals(versionBefore, ((Number) first.get("version")).longValue(), "version unchanged: " + first);
        Map<String, Object> second = as(token).get("/api/environments/" + patched).then().statusCode(200)
                .extract().jsonPath().getMap("");
        assertEquals("patched", second.get("name"), "the PATCH answered 503 changed nothing: " + second);
        assertEquals(versionBefore, ((Number) second.get("version")).longValue(), "version unchanged: " + second);
        as(token).get("/api/environments/" + kept).then().statusCode(200).body("name", equalTo("kept"));
        List<String> names = as(token).get("/api/environments?limit=100").then().statusCode(200)
                .extract().jsonPath().getList("items.name");
        assertEquals(Set.of("in-flight", "patched", "kept"), Set.copyOf(names), "no POST answered 503 left a row");

        // The idempotency key of the failed POST is free again: the retry creates the environment once.
        as(token).header("Idempotency-Key", "partition-1")
                .body("{\"name\":\"idempotent-post\",\"tier\":\"staging\"}").post("/api/environments")
                .then().statusCode(201);
        as(token).get("/api/environments?limit=100").then().statusCode(200)
                .body("items.findAll { it.name == 'idempotent-post' }.size()", equalTo(1));
    }

    @Test
    void aWriteWhoseCommitIsCutOffAnswers503AndIsWholeOrAbsent() throws InterruptedException {
        String token = Tokens.admin(Api.newCompany());
        String id = Api.createEnvironment(token, "commit-cut");
        String marker = "commit-cut-5d21e0";

        // The UPDATE goes through and is answered; then the network goes, taking the COMMIT with it.
        network.partitionAfterAnswerTo(marker);
        assertAnswers503Quickly("PATCH whose commit is cut off", () -> as(token)
                .body("{\"name\":\"commit-cut-renamed\",\"description\":\"" + marker + "\"}")
                .patch("/api/environments/" + id));
        assertTrue(network.partitioned(), "the PATCH's UPDATE was answered and the network cut after it");
        network.heal();
        awaitRecovery(token, id);

        // The late COMMIT may have arrived before the closed connection did: then all of it, else none.
        Map<String, Object> environment = as(token).get("/api/environments/" + id).then().statusCode(200)
                .extract().jsonPath().getMap("");
        boolean applied = marker.equals(environment.get("description"));
        assertEquals(applied ? "commit-cut-renamed" : "commit-cut", environment.get("name"), "whole: " + environment);
        assertEquals(applied ? 2L : 1L, ((Number) environment.get("version")).longValue(), "whole: " + environment);
    }

    @Test
    void aSlowStatementIsEndedByTheDatabaseAndAnswers503() throws SQLException {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("select pg_sleep(20)");
            fail("the database's statement timeout ends a 20 s statement");
        } catch (SQLException e) {
            assertEquals("57014", e.getSQLState(), "query_canceled by statement_timeout: " + e.getMessage());
            ApiException answer = Failures.classify(e);
            assertTrue(answer != null && answer.code() == ErrorCode.SERVICE_UNAVAILABLE, "503 for " + e.getMessage());
            assertEquals("5", answer.headers().get("Retry-After"));
        }
        assertWithinBound("slow statement", started);
        // The connection survived the cancellation and carries the other server-side guard too: a
        // transaction whose client vanished releases its locks after 30 s.
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select current_setting('idle_in_transaction_session_timeout')")) {
            assertTrue(rows.next());
            assertEquals("30s", rows.getString(1));
        }
    }

    /** After healing, requests succeed again within a few seconds, and readiness is UP. */
    private static void awaitRecovery(String token, String id) throws InterruptedException {
        long healed = System.nanoTime();
        int status = 0;
        while (status != 200 && System.nanoTime() - healed < Duration.ofSeconds(15).toNanos()) {
            status = as(token).get("/api/environments/" + id).then().extract().statusCode();
            if (status != 200) {
                Thread.sleep(100);
            }
        }
        Duration recovery = Duration.ofNanos(System.nanoTime() - healed);
        assertEquals(200, status, "the service recovers once the network is back");
        assertTrue(recovery.compareTo(Duration.ofSeconds(5)) < 0, "recovery took " + recovery);
        given().get("/q/health/ready").then().statusCode(200);
    }

    /** Several requests at once, so the pool holds more than one idle connection to lose. */
    private static void fillThePool(String token) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                answers.add(clients.submit(() -> as(token).get("/api/environments").then().extract().statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertEquals(200, answer.get(30, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static void assertAnswers503Quickly(String what, Supplier<Response> request) {
        long started = System.nanoTime();
        Response response = request.get();
        assertWithinBound(what, started);
        assertEquals(503, response.statusCode(), what + ": " + response.asString());
        assertEquals("SERVICE_UNAVAILABLE", response.jsonPath().getString("code"), what);
        assertEquals("5", response.header("Retry-After"), what);
        assertEquals(response.header("X-Request-Id"), response.jsonPath().getString("requestId"), what);
    }

    private static void assertFinishesWithinBound(String what, ThrowingRunnable job) {
        long started = System.nanoTime();
        try {
            job.run();
        } catch (Exception e) {
            // A failed round is fine (the scheduler runs it again), if it failed for the database.
            ApiException known = Failures.classify(e);
            assertTrue(known != null && known.code() == ErrorCode.SERVICE_UNAVAILABLE, what + " failed with " + e);
        }
        assertWithinBound(what, started);
    }

    private static void assertWithinBound(String what, long startedNanos) {
        Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
        if (took.compareTo(BOUND) >= 0) {
            fail(what + " took " + took + ", more than " + BOUND);
        }
    }

    private void purgeExpiredIdempotencyKeys() throws Exception {
        // Package-private scheduled method: called the way the scheduler does, through the bean.
        Method purge = IdempotencyStore.class.getDeclaredMethod("purgeExpired");
        purge.setAccessible(true);
        try {
            purge.invoke(idempotency);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static long version(String token, String id) {
        return as(token).get("/api/environments/" + id).then().statusCode(200).extract().jsonPath().getLong("version");
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
