package io.berth.webhook;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.berth.dev.EmbeddedDatabase;
import io.berth.testsupport.Api;
import io.berth.testsupport.BerthProcess;
import io.berth.testsupport.Registries;
import io.berth.testsupport.RegistryProxy;
import io.berth.testsupport.TestConfig;
import io.berth.testsupport.Tokens;
import io.berth.testsupport.WebhookReceiver;
import io.restassured.specification.RequestSpecification;

/**
 * An instance killed (SIGKILL) while a delivery is in flight loses nothing: the delivery it claimed
 * and sent, but never saw answered, is sent again — same webhook-id — by the next instance on the
 * same database once the claim's lease has run out. Real processes of the packaged application.
 */
class WebhookKillIT {

    private static final Path OUT = Path.of("target", "webhook-kill-it");
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
    private static EmbeddedDatabase database;
    private static BerthProcess first;
    private static BerthProcess second;

    @AfterAll
    static void stop() {
        for (BerthProcess p : new BerthProcess[] { first, second }) {
            if (p != null) {
                p.stop();
            }
        }
        if (database != null) {
            database.close();
        }
    }

    private static BerthProcess start(String name) {
        Map<String, String> config = new TreeMap<>(TestConfig.common());
        config.putAll(database.datasourceConfig());
        config.put("berth.webhooks.lease", "5s");
        BerthProcess process = BerthProcess.start(name, config, OUT);
        process.awaitReady(Duration.ofSeconds(90));
        return process;
    }

    private static RequestSpecification api(BerthProcess instance, String token) {
        return Api.as(token).baseUri("http://127.0.0.1").port(instance.port);
    }

    @Test
    void anInstanceKilledMidDeliveryLeavesItToTheNextInstance() throws Exception {
        database = EmbeddedDatabase.start(0, null);
        first = start("first");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String admin = Tokens.admin(java.util.UUID.randomUUID());
            String hook = api(first, admin).body(Map.of("url", receiver.url(), "secret", SECRET)).post("/api/webhooks")
                    .then().statusCode(201).extract().path("id");
            String env = api(first, admin).body(Map.of("name", "kill")).post("/api/environments").then().statusCode(201)
                    .extract().path("id");
            receiver.hold();
            RegistryProxy gone = new RegistryProxy(Registries.ANONYMOUS);
            gone.close();
            api(first, admin).body(Map.of("name", "gone", "imageName", gone.host() + "/public/gone", "tagFilter", "*"))
                    .post("/api/environments/" + env + "/container-images").then().statusCode(201); // one check-failed event

            await("the first instance sends the delivery", () -> receiver.received.size() == 1);
            String id = receiver.received.get(0).header("webhook-id");
            first.kill(); // after the commit, mid-delivery: the attempt is never recorded
            receiver.release();

            second = start("second");
            await("the second instance sends it again", () -> receiver.received.size() >= 2);
            List<WebhookReceiver.Received> got = List.copyOf(receiver.received);
            assertEquals(2, got.size(), "sent once by each instance");
            assertEquals(id, got.get(1).header("webhook-id"), "the same delivery, so the receiver can drop the duplicate");
            assertEquals(204, got.get(1).answered());
            api(second, admin).get("/api/webhooks/" + hook + "/deliveries").then().statusCode(200)
                    .body("items.size()", equalTo(1)).body("items[0].status", equalTo("delivered"))
                    .body("items[0].eventId", equalTo(id));
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(100);
        }
    }
}
