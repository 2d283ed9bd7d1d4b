package io.berth.webhook;

import static io.berth.testsupport.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;

import io.berth.persistence.Tenancy;
import io.berth.testsupport.WebhookReceiver;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;

/** A delivery claimed by a replica that died before sending goes out once its lease has run out. */
@QuarkusTest
class WebhookLeaseTest extends WebhookTestBase {

    @Inject
    WebhookDispatcher dispatcher;
    @Inject
    Scheduler scheduler;
    @Inject
    Tenancy tenancy;
    @Inject
    EntityManager em;

    @Test
    void aDeliveryClaimedByAReplicaThatDiedIsDeliveredAfterItsLease() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String hook = subscribe(receiver, List.of("io.berth.container-image.check-failed"));
            scheduler.pause(WebhookDispatcher.JOB);
            try {
                emitCheckFailed();
                as(admin).get("/api/events").then().statusCode(200); // sequenced: the delivery exists
                // a replica claims it and dies before sending (its claim is never recorded)
                List<WebhookDispatcher.Claim> dead = tenancy.callAsSystem(dispatcher::claim);
                assertTrue(dead.stream().anyMatch(c -> c.webhook().toString().equals(hook)), "claimed: " + dead);
                dispatcher.runDue();
                assertEquals(0, receiver.received.size(), "still leased: nobody else may take it");
                dead.forEach(c -> expireLease(c.webhook(), c.eventId())); // (others' claims too: they must not wait)
                dispatcher.runDue();
                assertEquals(1, receiver.received.size(), "the next replica delivers it once the lease ran out");
                as(admin).get("/api/webhooks/" + hook + "/deliveries").then().statusCode(200)
                        .body("items[0].status", equalTo("delivered")).body("items[0].attempts.size()", equalTo(1));
            } finally {
                scheduler.resume(WebhookDispatcher.JOB);
            }
        }
    }

    @Transactional
    void expireLease(UUID webhook, String eventId) {
        em.createNativeQuery("update webhook_deliveries set lease_until = now() - interval '1 second'"
                + " where webhook_id = ?1 and event_id = ?2").setParameter(1, webhook).setParameter(2, eventId).executeUpdate();
    }
}
