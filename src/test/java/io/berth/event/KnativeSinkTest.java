package io.berth.event;

import static io.berth.testsupport.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.testsupport.Api;
import io.berth.testsupport.Registries;
import io.berth.testsupport.RegistryProxy;
import io.berth.testsupport.Tokens;
import io.berth.testsupport.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With K_SINK set (as a Knative SinkBinding does), every event also goes there, in feed order. */
@QuarkusTest
@TestProfile(KnativeSinkTest.WithSink.class)
class KnativeSinkTest {

    static final WebhookReceiver SINK = new WebhookReceiver();

    /** K_SINK pointing at a real HTTP receiver. */
    public static class WithSink implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.events.sink", SINK.url());
        }
    }

    @AfterAll
    static void stop() {
        SINK.close();
    }

    @Test
    void everyEventReachesTheSinkInOrder() throws Exception {
        String admin = Tokens.admin(Api.newCompany());
        String env = Api.createEnvironment(admin, "sink");
        List<String> images = new ArrayList<>();
        SINK.answer(503); // the sink refuses once: the event is sent again, nothing is skipped
        for (int i = 0; i < 3; i++) {
            RegistryProxy gone = new RegistryProxy(Registries.ANONYMOUS);
            gone.close();
            images.add(as(admin).body(Map.of("name", "gone" + i, "imageName", gone.host() + "/public/gone-" + i, "tagFilter", "*"))
                    .post("/api/environments/" + env + "/container-images").then().statusCode(201).extract().path("id"));
        }
        // Reading the feed sequences the events now, before the sink's first round (5 s after start):
        // they happened after Berth started, so the sink must get them all the same.
        as(admin).get("/api/events").then().statusCode(200);
        ObjectMapper mapper = new ObjectMapper();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<String> subjects = new ArrayList<>();
        while (subjects.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            subjects.clear();
            for (WebhookReceiver.Received r : List.copyOf(SINK.received)) {
                String subject = mapper.readTree(r.body()).path("subject").asText();
                if (r.answered() == 204 && images.contains(subject)) {
                    subjects.add(subject);
                }
            }
        }
        assertEquals(images, subjects, "each event once, in feed order");
        assertEquals("application/cloudevents+json", SINK.received.get(0).header("Content-Type"));
    }
}
