package io.berth.image;

import static io.berth.testsupport.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.ImagePusher;
import io.berth.testsupport.ImagePusher.Image;
import io.berth.testsupport.Registries;
import io.berth.testsupport.RegistryServer;
import io.berth.testsupport.TestFiles;
import io.berth.testsupport.TokenServer;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/** Container images (seed 000) against the real token-auth registry. Shared with ContainerImageResourceIT. */
@QuarkusTest
class ContainerImageResourceTest {

    private final UUID company = Api.newCompany();
    private final String admin = Tokens.admin(company);
    private final RegistryServer registry = Registries.TOKEN;
    private final ImagePusher pusher = Registries.pusher(registry);
    private final String repository = "team/app-" + UUID.randomUUID().toString().substring(0, 8);
    private String environment;
    private String connection;

    @BeforeEach
    void environmentAndConnection() {
        environment = Api.createEnvironment(admin, "env-" + UUID.randomUUID().toString().substring(0, 8));
        connection = connectionTo(registry);
    }

    private String connectionTo(RegistryServer server) {
        return as(admin).body("{\"name\":\"r-" + UUID.randomUUID() + "\",\"registryUrl\":\"" + server.host()
                + "\",\"insecure\":true,\"username\":\"" + TokenServer.USER + "\",\"password\":\"" + TokenServer.PASSWORD + "\"}")
                .post("/api/registries").then().statusCode(201).extract().path("id");
    }

    private String imageName() {
        return registry.host() + "/" + repository;
    }

    private String track(String filter) {
        return as(admin).body(Map.of("name", "app", "imageName", imageName(), "tagFilter", filter,
                "registryConnectionId", connection, "autoUpdate", false))
                .post("/api/environments/" + environment + "/container-images").then().statusCode(201).extract().path("id");
    }

    /** 1.0.0, 1.1.0 and 1.2.0-rc.1 of one repository; answers the digest of 1.1.0. */
    private String pushReleases() {
        pusher.push(repository, "1.0.0", Image.linux("80/tcp"), ImagePusher.OCI_MANIFEST);
        String digest = pusher.push(repository, "1.1.0", Image.linux("8080/tcp", "80/tcp"), ImagePusher.DOCKER_MANIFEST);
        pusher.push(repository, "1.2.0-rc.1", Image.linux("9090/tcp"), ImagePusher.OCI_MANIFEST);
        return digest;
    }

    @Test
    void creationDiscoversTheBestTagAndItsFacts() {
        String digest = pushReleases();
        String location = as(admin).body(Map.of("name", "web", "imageName", imageName(), "tagFilter", "1.*",
                "registryConnectionId", connection))
                .post("/api/environments/" + environment + "/container-images").then().statusCode(201)
                .header("ETag", "\"1\"")
                .body("environmentId", equalTo(environment))
                .body("imageName", equalTo(imageName()))
                .body("tagFilter", equalTo("1.*"))
                .body("autoUpdate", equalTo(false))
                .body("bestTag", equalTo("1.1.0"))
                .body("latestDigest", equalTo(digest))
                .body("exposedPorts", equalTo(List.of("80/tcp", "8080/tcp")))
                .body("platforms", equalTo(List.of("linux/amd64")))
                .body("updateAvailable", equalTo(false))
                .body("lastCheckedAt", notNullValue())
                .body("lastCheckError", nullValue())
                .body("version", equalTo(1))
                .extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        as(admin).get("/api/container-images/" + id).then().statusCode(200).body("bestTag", equalTo("1.1.0"));
        as(admin).get("/api/environments/" + environment + "/container-images").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].id", equalTo(id));
        as(admin).get("/api/registries/" + connection).then().body("imageCount", equalTo(1));
    }

    @Test
    void filtersOfEveryFormChooseTheirTag() {
        pushReleases();
        pusher.push(repository, "latest", Image.linux(), ImagePusher.OCI_MANIFEST);
        Map<String, String> expected = Map.of("latest", "latest", "semver:^1.0", "1.1.0",
                "semver:>=1.2.0-rc.0 <2", "1.2.0-rc.1", "*-rc.*", "1.2.0-rc.1", "regex:1\\.0\\.\\d+", "1.0.0");
        String id = track("latest");
        expected.forEach((filter, tag) -> as(admin).body(Map.of("tagFilter", filter)).patch("/api/container-images/" + id)
                .then().statusCode(200).body("bestTag", equalTo(tag)).body("tagFilter", equalTo(filter)));
        as(admin).body(Map.of("tagFilter", "9.*")).patch("/api/container-images/" + id).then().statusCode(200)
                .body("bestTag", nullValue()).body("lastCheckError", containsString("matches"));
    }

    @Test
    void multiPlatformImagesPinTheIndexDigest() {
        String index = pusher.pushIndex(repository, "latest", ImagePusher.OCI_INDEX, Image.linux("80/tcp"),
                new Image("linux", "arm64", List.of("80/tcp"), Map.of(), "2026-01-01T00:00:00Z"));
        String id = track("latest");
        as(admin).get("/api/container-images/" + id).then().body("latestDigest", equalTo(index))
                .body("platforms", equalTo(List.of("linux/amd64", "linux/arm64")));
    }

    @Test
    void patchAppliesTheSeedsFields() {
        pushReleases();
        String id = track("1.0.*");
        String other = connectionTo(registry);
        as(admin).body(Map.of("name", "renamed", "tagFilter", "1.*", "registryConnectionId", other, "autoUpdate", true))
                .patch("/api/container-images/" + id).then().statusCode(200)
                .header("ETag", "\"2\"")
                .body("name", equalTo("renamed"))
                .body("tagFilter", equalTo("1.*"))
                .body("registryConnectionId", equalTo(other))
                .body("autoUpdate", equalTo(true))
                .body("bestTag", equalTo("1.1.0"))
                .body("version", equalTo(2))
                .body("modifiedBy", equalTo("alice"));
        as(admin).contentType("application/merge-patch+json").body("{\"autoUpdate\":false}")
                .patch("/api/container-images/" + id).then().statusCode(200)
                .body("autoUpdate", equalTo(false)).body("name", equalTo("renamed")).body("version", equalTo(3));
        // without a connection the repository is read anonymously (it is public on this registry)
        as(admin).contentType("application/merge-patch+json").body("{\"registryConnectionId\":null}")
                .patch("/api/container-images/" + id).then().statusCode(200)
                .body("registryConnectionId", nullValue())
                .body("bestTag", equalTo("1.1.0")).body("lastCheckError", nullValue());
    }

    @Test
    void readOnlyFieldsAre422AsTheSeedSays() {
        String id = track("latest");
        as(admin).body("{\"exposedPorts\":[\"80/tcp\"]}").patch("/api/container-images/" + id).then().statusCode(422)
                .body("code", equalTo("READONLY_FIELD"))
                .body("message", equalTo("Field \"exposedPorts\" is read-only and cannot be set via PATCH."))
                .body("field", equalTo("exposedPorts"))
                .body("hint", containsString("EXPOSE"))
                .body("requestId", notNullValue());
        as(admin).body("{\"name\":\"sneaky\",\"imageName\":\"nginx\",\"bestTag\":\"9.9\",\"version\":9}")
                .patch("/api/container-images/" + id).then().statusCode(422)
                .body("field", equalTo("imageName"))
                .body("message", equalTo("Fields \"imageName\", \"bestTag\", \"version\" are read-only and cannot be set via PATCH."))
                .body("hint", containsString("Create a new container image"));
        as(admin).get("/api/container-images/" + id).then().body("name", equalTo("app")).body("version", equalTo(1));
    }

    @Test
    void badInputIs400WithTheField() {
        String id = track("latest");
        String path = "/api/container-images/" + id;
        as(admin).body("{\"color\":\"red\"}").patch(path).then().statusCode(400).body("code", equalTo("VALIDATION_ERROR"))
                .body("field", equalTo("color"));
        as(admin).body("{\"name\":5}").patch(path).then().statusCode(400).body("field", equalTo("name"));
        as(admin).body("{\"name\":\"\"}").patch(path).then().statusCode(400).body("field", equalTo("name"));
        as(admin).body("{\"tagFilter\":\"\"}").patch(path).then().statusCode(400).body("field", equalTo("tagFilter"));
        as(admin).body("{\"tagFilter\":\"regex:([\"}").patch(path).then().statusCode(400).body("field", equalTo("tagFilter"))
                .body("hint", notNullValue());
        as(admin).body("{\"tagFilter\":\"semver:banana\"}").patch(path).then().statusCode(400).body("field", equalTo("tagFilter"));
        as(admin).body("{\"autoUpdate\":\"yes\"}").patch(path).then().statusCode(400).body("field", equalTo("autoUpdate"));
        as(admin).body("{\"autoUpdate\":null}").patch(path).then().statusCode(400).body("field", equalTo("autoUpdate"));
        as(admin).body("{\"registryConnectionId\":\"example\"}").patch(path).then().statusCode(400)
                .body("field", equalTo("registryConnectionId"));
        as(admin).body(Map.of("registryConnectionId", UUID.randomUUID().toString())).patch(path).then().statusCode(400)
                .body("field", equalTo("registryConnectionId"));
        String theirs = as(Tokens.admin(Api.newCompany())).body("{\"name\":\"x\",\"registryUrl\":\"" + registry.host()
                + "\",\"insecure\":true}").post("/api/registries").then().statusCode(201).extract().path("id");
        as(admin).body(Map.of("registryConnectionId", theirs)).patch(path).then().statusCode(400)
                .body("field", equalTo("registryConnectionId"));
        String hub = as(admin).body("{\"name\":\"hub\",\"type\":\"dockerhub\"}").post("/api/registries").then()
                .statusCode(201).extract().path("id");
        as(admin).body(Map.of("registryConnectionId", hub)).patch(path).then().statusCode(400)
                .body("field", equalTo("registryConnectionId")).body("message", containsString("docker.io"));
        as(admin).body("[]").patch(path).then().statusCode(400);
        as(admin).get(path).then().body("version", equalTo(1)).body("tagFilter", equalTo("latest"))
                .body("registryConnectionId", equalTo(connection));
    }

    @Test
    void creationValidatesItsInput() {
        String path = "/api/environments/" + environment + "/container-images";
        as(admin).body(Map.of("name", "x", "imageName", "Not/Valid")).post(path).then().statusCode(400)
                .body("field", equalTo("imageName"));
        as(admin).body(Map.of("name", "x", "imageName", "nginx:1.25")).post(path).then().statusCode(400)
                .body("field", equalTo("imageName"));
        as(admin).body(Map.of("imageName", "nginx")).post(path).then().statusCode(400).body("field", equalTo("name"));
        as(admin).body(Map.of("name", "x", "imageName", "nginx", "bestTag", "1")).post(path).then().statusCode(422)
                .body("field", equalTo("bestTag"));
        as(admin).body(Map.of("name", "x", "imageName", "nginx")).post("/api/environments/" + UUID.randomUUID()
                + "/container-images").then().statusCode(404);
        track("latest");
        as(admin).body(Map.of("name", "again", "imageName", imageName(), "registryConnectionId", connection)).post(path)
                .then().statusCode(409).body("code", equalTo("CONFLICT")).body("field", equalTo("imageName"));
    }

    @Test
    void checkUpdatesFindsANewerTagAndKeepsHistory() {
        String old = pushReleases();
        String id = track("1.*");
        as(admin).post("/api/container-images/" + id + "/check-updates").then().statusCode(200)
                .body("bestTag", equalTo("1.1.0")).body("latestDigest", equalTo(old));
        String newer = pusher.push(repository, "1.3.0", Image.linux("443/tcp"), ImagePusher.OCI_MANIFEST);
        as(admin).post("/api/container-images/" + id + "/check-updates").then().statusCode(200)
                .body("bestTag", equalTo("1.3.0")).body("latestDigest", equalTo(newer))
                .body("exposedPorts", equalTo(List.of("443/tcp")));
        as(admin).get("/api/container-images/" + id + "/tags").then().statusCode(200)
                .body("bestTag", equalTo("1.3.0"))
                .body("count", equalTo(4))
                .body("tags[0].tag", equalTo("1.3.0"))
                .body("tags[0].best", equalTo(true))
                .body("tags[0].digest", equalTo(newer))
                .body("tags.find { it.tag == '1.2.0-rc.1' }.matchesFilter", equalTo(true))
                .body("history", hasSize(2))
                .body("history[0].tag", equalTo("1.3.0"))
                .body("history[1].digest", equalTo(old));
        // a tag moved to new content is an update too
        String moved = pusher.push(repository, "1.3.0", Image.linux("443/tcp", "8443/tcp"), ImagePusher.OCI_MANIFEST);
        as(admin).post("/api/container-images/" + id + "/check-updates").then().statusCode(200)
                .body("latestDigest", equalTo(moved));
        as(admin).get("/api/container-images/" + id + "/tags").then().body("history", hasSize(3));
    }

    @Test
    void registryFailuresAreStoredAndAnswered() {
        String id = track("latest");
        as(admin).post("/api/container-images/" + id + "/check-updates").then().statusCode(400)
                .body("code", equalTo("VALIDATION_ERROR")).body("field", equalTo("imageName"));
        as(admin).get("/api/container-images/" + id).then().body("lastCheckError", containsString("not found"));

        String down = as(admin).body("{\"name\":\"down\",\"registryUrl\":\"127.0.0.1:" + TestFiles.freePort()
                + "\",\"insecure\":true}").post("/api/registries").then().statusCode(201).extract().path("id");
        String host = as(admin).get("/api/registries/" + down).then().extract().path("registryUrl");
        String offline = as(admin).body(Map.of("name", "offline", "imageName", host + "/team/app", "registryConnectionId", down))
                .post("/api/environments/" + environment + "/container-images").then().statusCode(201)
                .body("lastCheckError", notNullValue()).extract().path("id");
        as(admin).post("/api/container-images/" + offline + "/check-updates").then().statusCode(503)
                .body("code", equalTo("SERVICE_UNAVAILABLE")).header("Retry-After", notNullValue());
    }

    @Test
    void referencedResourcesCannotBeDeleted() {
        String id = track("latest");
        as(admin).delete("/api/environments/" + environment).then().statusCode(409).body("code", equalTo("CONFLICT"))
                .body("message", containsString("1 container image"));
        as(admin).delete("/api/registries/" + connection).then().statusCode(409)
                .body("message", containsString("1 container image"));
        as(admin).delete("/api/container-images/" + id).then().statusCode(204);
        as(admin).get("/api/container-images/" + id).then().statusCode(404);
        as(admin).delete("/api/registries/" + connection).then().statusCode(204);
        as(admin).delete("/api/environments/" + environment).then().statusCode(204);
    }

    @Test
    void accessRulesAndTenancyApply() {
        String id = track("latest");
        given().get("/api/container-images/" + id).then().statusCode(401).body("code", equalTo("UNAUTHORIZED"));
        String intruder = Tokens.admin(Api.newCompany());
        as(intruder).get("/api/container-images/" + id).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        as(intruder).body("{\"name\":\"x\"}").patch("/api/container-images/" + id).then().statusCode(404);
        as(intruder).post("/api/container-images/" + id + "/check-updates").then().statusCode(404);
        as(intruder).get("/api/environments/" + environment + "/container-images").then().statusCode(404);
        as(admin).body("{\"name\":\"x\"}").patch("/api/container-images/" + UUID.randomUUID()).then().statusCode(404);
        String viewer = Tokens.token(company, "vera", "viewer", Tokens.ALL_SCOPES);
        as(viewer).get("/api/container-images/" + id).then().statusCode(200);
        as(viewer).body("{\"name\":\"x\"}").patch("/api/container-images/" + id).then().statusCode(403)
                .body("code", equalTo("FORBIDDEN_ROLE"));
        as(Tokens.token(company, "otto", "operator", "container-images:read")).body("{\"name\":\"x\"}")
                .patch("/api/container-images/" + id).then().statusCode(403).body("code", equalTo("FORBIDDEN_SCOPE"))
                .body("message", containsString("container-images:write"));
        as(admin).header("If-Match", "\"7\"").body("{\"name\":\"x\"}").patch("/api/container-images/" + id).then()
                .statusCode(409);
    }

    @Test
    void concurrentPatchesKeepTheVersionConsistent() {
        String id = track("latest");
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String name = "name-" + i;
            calls.add(CompletableFuture.supplyAsync(() -> as(admin).body(Map.of("name", name))
                    .patch("/api/container-images/" + id).then().extract().statusCode()));
        }
        List<Integer> statuses = calls.stream().map(CompletableFuture::join).toList();
        assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 409), statuses.toString());
        long applied = statuses.stream().filter(s -> s == 200).count();
        assertTrue(applied >= 1);
        int version = as(admin).get("/api/container-images/" + id).then().extract().path("version");
        assertEquals(1 + applied, version, "every applied PATCH counted once: " + statuses);
    }
}
