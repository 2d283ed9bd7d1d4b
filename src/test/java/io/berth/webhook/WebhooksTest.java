package io.berth.webhook;

import static io.berth.testsupport.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.testsupport.Api;
import io.berth.testsupport.Tokens;
import io.berth.testsupport.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Webhook subscriptions through HTTP, delivering to a real HTTP receiver: signed as Standard
 * Webhooks says, retried with growing delays, in order after an outage of the receiver, and never
 * to an internal address.
 */
@QuarkusTest
class WebhooksTest extends WebhookTestBase {

    private final ObjectMapper mapper = new ObjectMapper();


    private static String expectedSignature(String id, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    @Test
    void aChangeIsDeliveredOnceSignedWithTheSecret() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            subscribe(receiver, List.of());
            String image = emitCheckFailed();
            await("the event arrives", () -> receiver.received.size() >= 1);
            Thread.sleep(1500); // a second delivery of the same event would arrive within a poll or two
            assertEquals(1, receiver.received.size(), "one change, one delivery");

            WebhookReceiver.Received got = receiver.received.get(0);
            assertEquals("application/cloudevents+json", got.header("Content-Type"));
            assertEquals(expectedSignature(got.header("webhook-id"), got.header("webhook-timestamp"), got.body()),
                    got.header("webhook-signature"), "the signature verifies with the secret");
            JsonNode event = mapper.readTree(got.body());
            assertEquals("1.0", event.path("specversion").asText());
            assertEquals(got.header("webhook-id"), event.path("id").asText());
            assertEquals("io.berth.container-image.check-failed", event.path("type").asText());
            assertEquals(image, event.path("subject").asText());
            assertTrue(Math.abs(Long.parseLong(got.header("webhook-timestamp")) - System.currentTimeMillis() / 1000) < 30);
        }
    }

    @Test
    void aReceiverAnswering500IsRetriedWithGrowingDelaysUnderTheSameId() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(500, 500);
            String hook = subscribe(receiver, List.of("io.berth.container-image.check-failed"));
            emitCheckFailed();
            await("the third attempt", () -> receiver.received.size() >= 3);
            List<WebhookReceiver.Received> got = List.copyOf(receiver.received);
            assertEquals(List.of(500, 500, 204), got.stream().map(WebhookReceiver.Received::answered).toList());
            assertEquals(1, got.stream().map(r -> r.header("webhook-id")).distinct().count(), "one id for all attempts");
            long first = got.get(1).atMillis() - got.get(0).atMillis();
            long second = got.get(2).atMillis() - got.get(1).atMillis();
            // first-retry is 1 s here, doubling, ±20 % (the 1 s poll may add to either wait)
            assertTrue(first >= 750 && second >= 1550, "retries wait longer each time: " + first + " ms, then " + second + " ms");

            var deliveries = as(admin).get("/api/webhooks/" + hook + "/deliveries").then().statusCode(200).extract().jsonPath();
            assertEquals("delivered", deliveries.getString("items[0].status"));
            assertEquals(List.of(500, 500, 204), deliveries.getList("items[0].attempts.status"));
            assertEquals(got.get(0).header("webhook-id"), deliveries.getString("items[0].eventId"));
        }
    }

    @Test
    void aReceiverThatWasDownGetsEveryEventInOrder() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            subscribe(receiver, List.of("io.berth.container-image.check-failed"));
            receiver.stop();
            List<String> images = List.of(emitCheckFailed(), emitCheckFailed(), emitCheckFailed());
            Thread.sleep(1500); // attempts fail meanwhile: nobody listens
            receiver.start();
            await("all three arrive", () -> receiver.received.stream().filter(r -> r.answered() == 204).count() >= 3);
            List<String> subjects = new java.util.ArrayList<>();
            for (WebhookReceiver.Received r : receiver.received) {
                subjects.add(mapper.readTree(r.body()).path("subject").asText());
            }
            assertEquals(images, subjects, "in the order the changes committed, each once");
        }
    }

    @Test
    void targetsSecretsAndTypesAreChecked() {
        // 127.0.0.1 is allow-listed in the tests (berth.webhooks.allowed-private-hosts); nothing here resolves other names
        Map<String, Object> ok = Map.of("url", "https://127.0.0.1:9/berth", "secret", SECRET);
        for (String url : List.of("http://169.254.169.254/latest", "https://10.1.2.3/hook", "http://127.0.0.2/x",
                "ftp://127.0.0.1/x", "/relative", "https://user:pw@127.0.0.1/x", "https://[::1]/x", "not a url")) {
            Map<String, Object> body = new java.util.HashMap<>(ok);
            body.put("url", url);
            as(admin).body(body).post("/api/webhooks").then().statusCode(400).body("code", equalTo("VALIDATION_ERROR"))
                    .body("field", equalTo("url"));
        }
        for (String secret : List.of("plain", "whsec_not-base64!", "whsec_" + Base64.getEncoder().encodeToString(new byte[8]))) {
            as(admin).body(Map.of("url", ok.get("url"), "secret", secret)).post("/api/webhooks").then().statusCode(400)
                    .body("field", equalTo("secret"));
        }
        as(admin).body(Map.of("url", ok.get("url"))).post("/api/webhooks").then().statusCode(400).body("field", equalTo("secret"));
        as(admin).body(Map.of("url", ok.get("url"), "secret", SECRET, "types", List.of("io.berth.nope")))
                .post("/api/webhooks").then().statusCode(400).body("field", equalTo("types"));
        as(admin).body(Map.of("url", ok.get("url"), "secret", SECRET, "failing", true))
                .post("/api/webhooks").then().statusCode(422).body("field", equalTo("failing"));
        as(admin).get("/api/webhooks").then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void subscriptionsAreTheCompanysOwnAndPatchKeepsTheSecret() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String hook = subscribe(receiver, List.of());
            as(admin).body(Map.of("active", false, "types", List.of("io.berth.application.created")))
                    .patch("/api/webhooks/" + hook).then().statusCode(200).body("active", equalTo(false))
                    .body("types", equalTo(List.of("io.berth.application.created"))).body("version", equalTo(2));
            as(admin).body(Map.of("url", "http://169.254.169.254/")).patch("/api/webhooks/" + hook).then()
                    .statusCode(400).body("field", equalTo("url"));
            String stranger = Tokens.admin(Api.newCompany());
            as(stranger).get("/api/webhooks/" + hook).then().statusCode(404);
            as(stranger).delete("/api/webhooks/" + hook).then().statusCode(404);
            String viewer = Tokens.token(UUID.randomUUID(), "vic", "viewer", Tokens.ALL_SCOPES);
            as(viewer).body(Map.of("url", receiver.url(), "secret", SECRET)).post("/api/webhooks").then().statusCode(403);
            as(admin).delete("/api/webhooks/" + hook).then().statusCode(204);
            as(admin).get("/api/webhooks/" + hook).then().statusCode(404);
        }
    }
}
