package io.berth.webhook;

import static io.berth.testsupport.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.BeforeEach;

import io.berth.testsupport.Api;
import io.berth.testsupport.Registries;
import io.berth.testsupport.RegistryProxy;
import io.berth.testsupport.Tokens;
import io.berth.testsupport.WebhookReceiver;

/** What the webhook tests share: a fresh company, a subscription, a change that emits one event. */
abstract class WebhookTestBase {

    static final byte[] KEY = "berth-test-webhook-secret-32byte".getBytes(StandardCharsets.US_ASCII);
    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);
    String admin;

    @BeforeEach
    void company() {
        admin = Tokens.admin(Api.newCompany());
    }

    String subscribe(WebhookReceiver receiver, List<String> types) {
        return as(admin).body(Map.of("url", receiver.url(), "secret", SECRET, "types", types)).post("/api/webhooks")
                .then().statusCode(201).body("$", not(hasKey("secret"))).body("active", equalTo(true))
                .body("failing", equalTo(false)).extract().path("id");
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** A check of an image on a registry that is gone: one check-failed event; answers the image id. */
    String emitCheckFailed() {
        String env = Api.createEnvironment(admin, "e-" + UUID.randomUUID().toString().substring(0, 8));
        RegistryProxy gone = new RegistryProxy(Registries.ANONYMOUS);
        gone.close();
        return as(admin).body(Map.of("name", "gone", "imageName", gone.host() + "/public/gone", "tagFilter", "*"))
                .post("/api/environments/" + env + "/container-images").then().statusCode(201).extract().path("id");
    }
}
