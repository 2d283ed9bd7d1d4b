package io.berth.api;

import static io.berth.testsupport.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.RestartableDatabaseResource;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The database goes away and comes back: 503 quickly, readiness DOWN, then recovery by itself. */
@QuarkusTest
@TestProfile(DatabaseOutageTest.OwnDatabase.class)
class DatabaseOutageTest {

    public static class OwnDatabase implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RestartableDatabaseResource.class));
        }
    }

    /** Injected by RestartableDatabaseResource: false stops the database, true starts it. */
    Consumer<Boolean> database;

    @Test
    void answers503WhileTheDatabaseIsDownAndRecovers() throws InterruptedException {
        String token = Tokens.admin(Api.newCompany());
        String id = Api.createEnvironment(token, "survivor");
        given().get("/q/health/ready").then().statusCode(200);

        database.accept(false);
        try {
            for (int i = 0; i < 2; i++) { // a pooled connection that died, and a fresh connect attempt
                long started = System.nanoTime();
                as(token).get("/api/environments/" + id).then().statusCode(503)
                        .header("Retry-After", "5").body("code", equalTo("SERVICE_UNAVAILABLE"));
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertTrue(took.compareTo(Duration.ofSeconds(8)) < 0, "503 must come quickly, took " + took);
            }
            as(token).body("{\"name\":\"during-outage\"}").post("/api/environments").then().statusCode(503);
            given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            database.accept(true);
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline && status != 200) {
            status = as(token).get("/api/environments/" + id).then().extract().statusCode();
            Thread.sleep(200);
        }
        assertTrue(status == 200, "the service recovers once the database is back");
        as(token).get("/api/environments/" + id).then().statusCode(200).body("name", equalTo("survivor"));
        given().get("/q/health/ready").then().statusCode(200);
        as(token).get("/api/environments/" + UUID.randomUUID()).then().statusCode(404);
    }
}
