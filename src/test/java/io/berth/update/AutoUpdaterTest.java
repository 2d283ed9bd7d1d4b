package io.berth.update;

import static io.berth.testsupport.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.ImagePusher;
import io.berth.testsupport.Registries;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/** Images with autoUpdate are checked again once their connection's refresh interval has passed. */
@QuarkusTest
class AutoUpdaterTest {

    @Inject
    AutoUpdater updater;
    @Inject
    EntityManager em;

    @Test
    void dueImagesAreCheckedAtTheirConnectionsInterval() {
        String admin = Tokens.admin(Api.newCompany());
        String env = Api.createEnvironment(admin, "auto");
        String repository = "public/auto-" + UUID.randomUUID().toString().substring(0, 8);
        ImagePusher pusher = Registries.pusher(Registries.ANONYMOUS);
        pusher.push(repository, "1.0.0", ImagePusher.Image.linux(), ImagePusher.OCI_MANIFEST);
        String connection = as(admin).body(Map.of("name", "hourly", "registryUrl", Registries.ANONYMOUS.host(),
                "insecure", true, "refreshIntervalMinutes", 60)).post("/api/registries").then().statusCode(201)
                .extract().path("id");
        String auto = as(admin).body(Map.of("name", "auto", "imageName", Registries.ANONYMOUS.host() + "/" + repository,
                "tagFilter", "1.*", "registryConnectionId", connection, "autoUpdate", true))
                .post("/api/environments/" + env + "/container-images").then().statusCode(201)
                .body("bestTag", equalTo("1.0.0")).extract().path("id");
        String manual = as(admin).body(Map.of("name", "manual", "imageName", Registries.ANONYMOUS.host() + "/" + repository
                + "-manual", "registryConnectionId", connection))
                .post("/api/environments/" + env + "/container-images").then().statusCode(201).extract().path("id");
        pusher.push(repository, "1.1.0", ImagePusher.Image.linux(), ImagePusher.OCI_MANIFEST);

        updater.runDue(); // checked moments ago: not due within the hour
        as(admin).get("/api/container-images/" + auto).then().body("bestTag", equalTo("1.0.0"));

        checkedMinutesAgo(UUID.fromString(auto), 61);
        checkedMinutesAgo(UUID.fromString(manual), 61);
        assertTrue(updater.runDue() >= 1);
        as(admin).get("/api/container-images/" + auto).then().body("bestTag", equalTo("1.1.0"))
                .body("modifiedBy", equalTo(AutoUpdater.SUBJECT));
        as(admin).get("/api/container-images/" + manual).then().body("modifiedBy", equalTo("alice"));
    }

    @Test
    void aScheduledCheckUnderApproveProposesAndMovesNothing() {
        String admin = Tokens.admin(Api.newCompany());
        String env = as(admin).body(Map.of("name", "prod", "tier", "production")).post("/api/environments").then()
                .statusCode(201).body("autoUpdatePolicy", equalTo("approve")).extract().path("id");
        String repository = "public/gated-" + UUID.randomUUID().toString().substring(0, 8);
        String image = Registries.ANONYMOUS.host() + "/" + repository;
        ImagePusher pusher = Registries.pusher(Registries.ANONYMOUS);
        pusher.push(repository, "1.0.0", ImagePusher.Image.linux(), ImagePusher.OCI_MANIFEST);
        String tracked = as(admin).body(Map.of("name", "gated", "imageName", image, "tagFilter", "1.*", "autoUpdate", true))
                .post("/api/environments/" + env + "/container-images").then().statusCode(201).extract().path("id");
        String web = as(admin).body(Map.of("name", "web", "source", Map.of("image", Map.of("name", image, "tag", "1.0.0"))))
                .post("/api/environments/" + env + "/app").then().statusCode(201).extract().path("id");
        String candidate = pusher.push(repository, "1.1.0", new ImagePusher.Image("linux", "amd64", List.of(),
                Map.of("build", "gated"), "2026-01-02T03:04:05Z"), ImagePusher.OCI_MANIFEST);

        checkedMinutesAgo(UUID.fromString(tracked), 61);
        assertTrue(updater.runDue() >= 1);
        as(admin).get("/api/container-images/" + tracked).then().body("bestTag", equalTo("1.1.0"));
        as(admin).get("/api/environments/" + env + "/app/" + web).then().body("source.image.tag", equalTo("1.0.0"));
        as(admin).get("/api/environments/" + env + "/pending-updates").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].applicationId", equalTo(web))
                .body("items[0].toTag", equalTo("1.1.0")).body("items[0].toDigest", equalTo(candidate))
                .body("items[0].status", equalTo("pending"));
        // the feed numbers an event committed while its background sequencer runs at its next read: read twice
        List<Map<String, Object>> pending = List.of();
        for (int attempt = 0; attempt < 10 && pending.isEmpty(); attempt++) {
            pending = as(admin).get("/api/events").then().statusCode(200).extract().jsonPath()
                    .getList("items.findAll { it.type == 'io.berth.update.pending' }.data");
            sleepBriefly();
        }
        assertEquals(1, pending.size(), "one io.berth.update.pending event: " + pending);
        assertEquals(AutoUpdater.SUBJECT, pending.get(0).get("changedBy"));
        assertEquals(web, pending.get(0).get("applicationId"));
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Transactional
    void checkedMinutesAgo(UUID id, int minutes) {
        em.createNativeQuery("update container_images set last_checked_at = now() - make_interval(mins => ?2) where id = ?1")
                .setParameter(1, id).setParameter(2, minutes).executeUpdate();
    }
}
