package io.berth.update;

import static io.berth.testsupport.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Transactional
    void checkedMinutesAgo(UUID id, int minutes) {
        em.createNativeQuery("update container_images set last_checked_at = now() - make_interval(mins => ?2) where id = ?1")
                .setParameter(1, id).setParameter(2, minutes).executeUpdate();
    }
}
