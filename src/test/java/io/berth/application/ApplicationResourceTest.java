package io.berth.application;

import static io.berth.testsupport.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.ImagePusher;
import io.berth.testsupport.ImagePusher.Image;
import io.berth.testsupport.Registries;
import io.berth.testsupport.RegistryServer;
import io.berth.testsupport.TokenServer;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** Applications (seed 004) against the real registries. Shared with ApplicationResourceIT. */
@QuarkusTest
class ApplicationResourceTest {

    private final UUID company = Api.newCompany();
    private final String admin = Tokens.admin(company);
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private String environment;

    @BeforeEach
    void environment() {
        environment = Api.createEnvironment(admin, "env-" + suffix);
    }

    private String apps() {
        return "/api/environments/" + environment + "/app";
    }

    /** Pushes repository:tag to the registry; answers the digest. */
    private static String push(RegistryServer registry, String repository, String tag, String... ports) {
        return Registries.pusher(registry).push(repository, tag, Image.linux(ports), ImagePusher.OCI_MANIFEST);
    }

    private String connectionTo(RegistryServer registry, String password) {
        return as(admin).body(Map.of("name", "r-" + UUID.randomUUID(), "registryUrl", registry.host(), "insecure", true,
                "username", TokenServer.USER, "password", password)).post("/api/registries").then().statusCode(201)
                .extract().path("id");
    }

    private ValidatableResponse createApp(String name, String imageName, String tag, String registryId) {
        Map<String, Object> source = new java.util.HashMap<>(Map.of("image", Map.of("name", imageName, "tag", tag)));
        if (registryId != null) {
            source.put("containerRegistryId", registryId);
        }
        return as(admin).body(Map.of("name", name, "source", source, "resources", Map.of("cpu", 1000, "memory", 512,
                "storage", 10240), "port", 80, "environmentVariables", Map.of("LOG_LEVEL", "info")))
                .post(apps()).then();
    }

    private String publicApp(String name) {
        String repository = "public/web-" + suffix;
        push(Registries.ANONYMOUS, repository, "1.25-alpine", "80/tcp");
        return createApp(name, Registries.ANONYMOUS.host() + "/" + repository, "1.25-alpine", null).statusCode(201)
                .extract().path("id");
    }

    @Test
    void createAnswersTheSeedsApplicationObject() {
        String repository = "public/web-" + suffix;
        String digest = push(Registries.ANONYMOUS, repository, "1.25-alpine", "80/tcp");
        String imageName = Registries.ANONYMOUS.host() + "/" + repository;
        String location = createApp("my-web-app", imageName, "1.25-alpine", null).statusCode(201)
                .header("ETag", "\"1\"")
                .body("name", equalTo("my-web-app"))
                .body("envIdRef", equalTo(environment))
                .body("companyIdRef", equalTo(company.toString()))
                .body("source.image.name", equalTo(imageName))
                .body("source.image.tag", equalTo("1.25-alpine"))
                .body("source.image.digest", equalTo(digest))
                .body("source.containerRegistryId", nullValue())
                .body("resources.cpu", equalTo(1000))
                .body("resources.memory", equalTo(512))
                .body("resources.storage", equalTo(10240))
                .body("hostname", matchesPattern("my-web-app-[a-z0-9]{6}"))
                .body("port", equalTo(80))
                .body("environmentVariables.LOG_LEVEL", equalTo("info"))
                .body("isDeleted", equalTo(false))
                .body("createdBy", equalTo("alice"))
                .body("modifiedBy", equalTo("alice"))
                .body("version", equalTo(1))
                .extract().header("Location");
        assertTrue(location.contains(apps() + "/"), location);
        String id = location.substring(location.lastIndexOf('/') + 1);
        as(admin).get(apps() + "/" + id).then().statusCode(200).body("name", equalTo("my-web-app"));
        as(admin).get(apps()).then().body("total", equalTo(1));
        as(admin).get("/api/apps").then().body("total", equalTo(1)).body("items[0].id", equalTo(id));
    }

    @Test
    void patchImageChangesOnlyTheImageInEveryAuthMode() {
        String id = publicApp("web");
        ValidatableResponse before = as(admin).get(apps() + "/" + id).then();
        String hostname = before.extract().path("hostname");
        for (RegistryServer registry : List.of(Registries.ANONYMOUS, Registries.BASIC, Registries.TOKEN)) {
            String repository = "private/backend-" + suffix;
            String digest = push(registry, repository, "production", "8080/tcp");
            Map<String, Object> body = new java.util.HashMap<>(Map.of("imageName", registry.host() + "/" + repository,
                    "imageTag", "production"));
            if (registry != Registries.ANONYMOUS) {
                body.put("containerRegistryId", connectionTo(registry, TokenServer.PASSWORD));
            }
            int version = as(admin).get(apps() + "/" + id).then().extract().path("version");
            as(admin).body(body).patch(apps() + "/" + id + "/image").then().statusCode(200)
                    .body("source.image.name", equalTo(registry.host() + "/" + repository))
                    .body("source.image.tag", equalTo("production"))
                    .body("source.image.digest", equalTo(digest))
                    .body("version", equalTo(version + 1))
                    // everything else untouched
                    .body("name", equalTo("web")).body("hostname", equalTo(hostname)).body("port", equalTo(80))
                    .body("resources.cpu", equalTo(1000)).body("resources.memory", equalTo(512))
                    .body("resources.storage", equalTo(10240)).body("environmentVariables.LOG_LEVEL", equalTo("info"))
                    .body("createdBy", equalTo("alice"));
        }
    }

    @Test
    void patchImageRefusesWhatTheRegistryRefuses() {
        String id = publicApp("web");
        String path = apps() + "/" + id + "/image";
        String repository = "private/api-" + suffix;
        push(Registries.BASIC, repository, "v1");
        String image = Registries.BASIC.host() + "/" + repository;
        String good = connectionTo(Registries.BASIC, TokenServer.PASSWORD);
        String wrong = connectionTo(Registries.BASIC, "wrong-password");

        as(admin).body(Map.of("imageName", image, "imageTag", "v2", "containerRegistryId", good)).patch(path).then()
                .statusCode(400).body("code", equalTo("VALIDATION_ERROR")).body("field", equalTo("imageTag"))
                .body("hint", notNullValue());
        as(admin).body(Map.of("imageName", image + "-nope", "imageTag", "v1", "containerRegistryId", good)).patch(path)
                .then().statusCode(400).body("field", equalTo("imageName"));
        as(admin).body(Map.of("imageName", image, "imageTag", "v1", "containerRegistryId", wrong)).patch(path).then()
                .statusCode(400).body("field", equalTo("containerRegistryId")).body("hint", containsString("test"));
        as(admin).body(Map.of("imageName", image, "imageTag", "v1")).patch(path).then()
                .statusCode(400).body("field", equalTo("imageName")).body("hint", containsString("containerRegistryId"));
        as(admin).body(Map.of("imageName", image, "imageTag", "v1", "containerRegistryId", UUID.randomUUID().toString()))
                .patch(path).then().statusCode(400).body("field", equalTo("containerRegistryId"));
        String theirs = as(Tokens.admin(Api.newCompany())).body(Map.of("name", "x", "registryUrl",
                Registries.BASIC.host(), "insecure", true)).post("/api/registries").then().extract().path("id");
        as(admin).body(Map.of("imageName", image, "imageTag", "v1", "containerRegistryId", theirs)).patch(path).then()
                .statusCode(400).body("field", equalTo("containerRegistryId"));
        as(admin).body(Map.of("imageName", "Bad Name", "imageTag", "v1")).patch(path).then()
                .statusCode(400).body("field", equalTo("imageName"));
        as(admin).body(Map.of("imageName", "nginx", "imageTag", "-bad")).patch(path).then()
                .statusCode(400).body("field", equalTo("imageTag"));
        as(admin).body(Map.of("imageName", "nginx")).patch(path).then().statusCode(400).body("field", equalTo("imageTag"));
        as(admin).body(Map.of("imageTag", "v1")).patch(path).then().statusCode(400).body("field", equalTo("imageName"));
        as(admin).body("{\"imageName\":\"nginx\",\"imageTag\":\"1\",\"extra\":1}").patch(path).then().statusCode(400)
                .body("field", equalTo("extra"));
        as(admin).get(apps() + "/" + id).then().body("version", equalTo(1));

        as(admin).body(Map.of("imageName", "nginx", "imageTag", "1")).patch(apps() + "/" + UUID.randomUUID() + "/image")
                .then().statusCode(404);
        as(admin).body(Map.of("imageName", "nginx", "imageTag", "1"))
                .patch("/api/environments/" + UUID.randomUUID() + "/app/" + id + "/image").then().statusCode(404);
    }

    @Test
    void anUnreachableRegistryIs503Quickly() {
        String id = publicApp("web");
        try (RegistryServer registry = new RegistryServer(RegistryServer.Mode.ANONYMOUS, null)) {
            String repository = "public/soon-gone-" + suffix;
            push(registry, repository, "v1");
            registry.stop();
            long started = System.nanoTime();
            as(admin).body(Map.of("imageName", registry.host() + "/" + repository, "imageTag", "v1"))
                    .patch(apps() + "/" + id + "/image").then().statusCode(503)
                    .body("code", equalTo("SERVICE_UNAVAILABLE")).header("Retry-After", notNullValue());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 5000, "503 comes quickly");
        }
        as(admin).get(apps() + "/" + id).then().body("version", equalTo(1));
    }

    @Test
    void dryRunValidatesButStoresNothing() {
        String id = publicApp("web");
        String repository = "public/next-" + suffix;
        String digest = push(Registries.ANONYMOUS, repository, "v2");
        Map<String, String> body = Map.of("imageName", Registries.ANONYMOUS.host() + "/" + repository, "imageTag", "v2");
        as(admin).queryParam("dryRun", "true").body(body).patch(apps() + "/" + id + "/image").then().statusCode(200)
                .header("X-Dry-Run", "true").body("source.image.digest", equalTo(digest)).body("version", equalTo(2));
        as(admin).header("X-Dry-Run", "true").body(Map.of("port", 9000)).put(apps() + "/" + id).then().statusCode(200)
                .body("port", equalTo(9000));
        as(admin).header("X-Dry-Run", "true").body(Map.of("imageName", "nginx", "imageTag", "-x"))
                .patch(apps() + "/" + id + "/image").then().statusCode(400);
        as(admin).get(apps() + "/" + id).then().body("version", equalTo(1)).body("port", equalTo(80))
                .body("source.image.tag", equalTo("1.25-alpine"));
        as(admin).get(apps() + "/" + id + "/history").then().body("total", equalTo(1));
    }

    @Test
    void putIsAPartialUpdate() {
        String id = publicApp("web");
        as(admin).body(Map.of("resources", Map.of("cpu", 2000), "port", 8080)).put(apps() + "/" + id).then().statusCode(200)
                .body("resources.cpu", equalTo(2000)).body("resources.memory", equalTo(512)).body("port", equalTo(8080))
                .body("name", equalTo("web")).body("environmentVariables.LOG_LEVEL", equalTo("info")).body("version", equalTo(2));
        as(admin).body(Map.of("name", "web-2", "environmentVariables", Map.of("A", "1"))).put(apps() + "/" + id).then()
                .statusCode(200).body("name", equalTo("web-2")).body("environmentVariables", equalTo(Map.of("A", "1")));
        String repository = "public/other-" + suffix;
        String digest = push(Registries.ANONYMOUS, repository, "v9");
        as(admin).body(Map.of("source", Map.of("image", Map.of("name", Registries.ANONYMOUS.host() + "/" + repository,
                "tag", "v9")))).put(apps() + "/" + id).then().statusCode(200).body("source.image.digest", equalTo(digest));
        as(admin).body(Map.of("source", Map.of("image", Map.of("tag", "missing")))).put(apps() + "/" + id).then()
                .statusCode(400).body("field", equalTo("source.image.tag"));
        as(admin).body(Map.of("port", 9000)).put(apps() + "/" + id).then().statusCode(200).body("version", equalTo(5));
        as(admin).body(Map.of("port", 9000)).put(apps() + "/" + id).then().statusCode(200).body("version", equalTo(5));
    }

    @Test
    void putNullsKeepInsideSourceAndResourcesAndAreRefusedElsewhere() {
        String app = apps() + "/" + publicApp("web");
        as(admin).body("{\"resources\":null,\"source\":{\"image\":null}}").put(app).then().statusCode(200)
                .body("resources.cpu", equalTo(1000)).body("version", equalTo(1));
        as(admin).body("{\"resources\":{\"cpu\":null,\"memory\":1024},\"source\":{\"image\":{\"name\":null,\"tag\":null}}}")
                .put(app).then().statusCode(200).body("resources.cpu", equalTo(1000)).body("resources.memory", equalTo(1024))
                .body("source.image.tag", equalTo("1.25-alpine")).body("version", equalTo(2));
        for (String field : List.of("name", "source", "port", "environmentVariables")) {
            as(admin).body("{\"" + field + "\":null}").put(app).then().statusCode(400)
                    .body("field", equalTo(field)).body("message", equalTo(field + " cannot be null."));
        }
        // environmentVariables replaces all variables: a null value is refused, not a removal
        as(admin).body("{\"environmentVariables\":{\"LOG_LEVEL\":null}}").put(app).then().statusCode(400)
                .body("field", equalTo("environmentVariables.LOG_LEVEL"));
        as(admin).body("{\"environmentVariables\":{\"A\":\"1\"}}").put(app).then().statusCode(200)
                .body("environmentVariables", equalTo(Map.of("A", "1"))).body("version", equalTo(3));
        as(admin).get(app + "/history").then().body("total", equalTo(3));
    }

    @Test
    void validationNamesTheField() {
        String image = Registries.ANONYMOUS.host() + "/public/v-" + suffix;
        push(Registries.ANONYMOUS, "public/v-" + suffix, "1");
        Map<String, Object> source = Map.of("image", Map.of("name", image, "tag", "1"));
        Object[][] cases = {
            { Map.of("name", "Bad_Name", "source", source), "name" },
            { Map.of("name", "x".repeat(57), "source", source), "name" },
            { Map.of("name", "-x", "source", source), "name" },
            { Map.of("name", "ok", "source", source, "resources", Map.of("cpu", 0)), "resources.cpu" },
            { Map.of("name", "ok", "source", source, "resources", Map.of("cpu", 64001)), "resources.cpu" },
            { Map.of("name", "ok", "source", source, "resources", Map.of("memory", 15)), "resources.memory" },
            { Map.of("name", "ok", "source", source, "resources", Map.of("storage", -1)), "resources.storage" },
            { Map.of("name", "ok", "source", source, "resources", Map.of("cpu", "lots")), "resources.cpu" },
            { Map.of("name", "ok", "source", source, "port", 0), "port" },
            { Map.of("name", "ok", "source", source, "port", 65536), "port" },
            { Map.of("name", "ok", "source", source, "environmentVariables", Map.of("1BAD", "x")), "environmentVariables.1BAD" },
            { Map.of("name", "ok"), "source" },
            { Map.of("name", "ok", "source", Map.of("image", Map.of("name", image, "tag", "1", "digest", "sha256:x"))),
                "source.image.digest" },
            { Map.of("name", "ok", "source", source, "hostname", "mine"), "hostname" },
        };
        for (Object[] c : cases) {
            int expected = ((String) c[1]).equals("source.image.digest") || c[1].equals("hostname") ? 422 : 400;
            as(admin).body(c[0]).post(apps()).then().statusCode(expected).body("field", equalTo(c[1]));
        }
        createApp("taken", image, "1", null).statusCode(201);
        createApp("taken", image, "1", null).statusCode(409).body("code", equalTo("CONFLICT")).body("field", equalTo("name"));
        as(admin).get(apps()).then().body("total", equalTo(1));
    }

    @Test
    void historyAndRestoreRoundTrip() {
        String id = publicApp("web");
        String firstDigest = as(admin).get(apps() + "/" + id).then().extract().path("source.image.digest");
        as(admin).body(Map.of("port", 9000)).put(apps() + "/" + id).then().statusCode(200);
        String repository = "public/v2-" + suffix;
        String newDigest = push(Registries.ANONYMOUS, repository, "2.0");
        as(admin).body(Map.of("imageName", Registries.ANONYMOUS.host() + "/" + repository, "imageTag", "2.0"))
                .patch(apps() + "/" + id + "/image").then().statusCode(200).body("version", equalTo(3));
        as(admin).get(apps() + "/" + id + "/history").then().statusCode(200)
                .body("total", equalTo(3)).body("items", hasSize(3))
                .body("items[0].version", equalTo(3)).body("items[0].changes", equalTo(List.of("source.image")))
                .body("items[0].snapshot.imageDigest", equalTo(newDigest))
                .body("items[1].changes", equalTo(List.of("port")))
                .body("items[2].changes", equalTo(List.of("created"))).body("items[2].changedBy", equalTo("alice"));
        as(admin).queryParam("limit", 1).queryParam("offset", 1).get(apps() + "/" + id + "/history").then()
                .body("items", hasSize(1)).body("items[0].version", equalTo(2));

        as(admin).body(Map.of("version", 1)).post(apps() + "/" + id + "/restore").then().statusCode(200)
                .body("version", equalTo(4)).body("port", equalTo(80))
                .body("source.image.tag", equalTo("1.25-alpine")).body("source.image.digest", equalTo(firstDigest));
        as(admin).get(apps() + "/" + id + "/history").then().body("items[0].changes[0]", equalTo("restored from 1"));
        as(admin).body(Map.of("version", 4)).post(apps() + "/" + id + "/restore").then().statusCode(200)
                .body("version", equalTo(5)).body("port", equalTo(80));
        as(admin).get(apps() + "/" + id + "/history").then().body("items[0].changes", equalTo(List.of("restored from 4")));
        as(admin).body(Map.of("version", 99)).post(apps() + "/" + id + "/restore").then().statusCode(404);
        as(admin).body(Map.of("version", 0)).post(apps() + "/" + id + "/restore").then().statusCode(400)
                .body("field", equalTo("version"));
    }

    @Test
    void deleteIsSoftAndKeepsTheHostname() {
        String id = publicApp("web");
        String hostname = as(admin).get(apps() + "/" + id).then().extract().path("hostname");
        as(admin).delete(apps() + "/" + id).then().statusCode(204);
        as(admin).get(apps() + "/" + id).then().statusCode(404);
        as(admin).get(apps()).then().body("total", equalTo(0));
        as(admin).get("/api/apps").then().body("total", equalTo(0));
        as(admin).delete(apps() + "/" + id).then().statusCode(404);
        String again = publicApp("web"); // the name is free again, the hostname is not
        String newHostname = as(admin).get(apps() + "/" + again).then().extract().path("hostname");
        assertTrue(!newHostname.equals(hostname));
        as(admin).delete("/api/environments/" + environment).then().statusCode(409)
                .body("message", containsString("1 application"));
    }

    @Test
    void hostnamesAreUniqueUnderConcurrency() {
        String repository = "public/many-" + suffix;
        push(Registries.ANONYMOUS, repository, "v1");
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String env = Api.createEnvironment(admin, "c-" + i + "-" + suffix);
            calls.add(CompletableFuture.supplyAsync(() -> as(admin).body(Map.of("name", "same", "source",
                    Map.of("image", Map.of("name", Registries.ANONYMOUS.host() + "/" + repository, "tag", "v1"))))
                    .post("/api/environments/" + env + "/app").then().statusCode(201).extract().path("hostname")));
        }
        Set<String> hostnames = new HashSet<>();
        calls.forEach(c -> hostnames.add(c.join()));
        assertEquals(12, hostnames.size(), hostnames.toString());
        String generated = as(admin).queryParam("name", "My App!!").get("/api/hostname/generate").then().statusCode(200)
                .extract().path("hostname");
        assertTrue(generated.matches("my-app-[a-z0-9]{6}") && generated.length() <= 63, generated);
        String longOne = as(admin).queryParam("name", "a".repeat(80)).get("/api/hostname/generate").then()
                .extract().path("hostname");
        assertTrue(longOne.length() <= 63, longOne);
    }

    @Test
    void trackedImagesSeeWhatApplicationsRun() {
        String repository = "public/tracked-" + suffix;
        String host = Registries.ANONYMOUS.host();
        String v1 = push(Registries.ANONYMOUS, repository, "1.0.0");
        String imageId = as(admin).body(Map.of("name", "tracked", "imageName", host + "/" + repository, "tagFilter", "1.*"))
                .post("/api/environments/" + environment + "/container-images").then().statusCode(201)
                .body("updateAvailable", equalTo(false)).extract().path("id");
        String app = createApp("runner", host + "/" + repository, "1.0.0", null).statusCode(201)
                .body("containerImageId", equalTo(imageId)).body("source.image.digest", equalTo(v1)).extract().path("id");
        push(Registries.ANONYMOUS, repository, "1.1.0");
        as(admin).post("/api/container-images/" + imageId + "/check-updates").then().statusCode(200)
                .body("bestTag", equalTo("1.1.0")).body("updateAvailable", equalTo(true));
        as(admin).body(Map.of("imageName", host + "/" + repository, "imageTag", "1.1.0")).patch(apps() + "/" + app + "/image")
                .then().statusCode(200);
        as(admin).get("/api/container-images/" + imageId).then().body("updateAvailable", equalTo(false));
        as(admin).delete("/api/container-images/" + imageId).then().statusCode(409)
                .body("message", containsString("1 application"));
    }

    @Test
    void everyRouteIsTenantScopedAndGuarded() {
        String id = publicApp("web");
        String intruder = Tokens.admin(Api.newCompany());
        String one = apps() + "/" + id;
        as(intruder).get(apps()).then().statusCode(404);
        as(intruder).get(one).then().statusCode(404);
        as(intruder).body(Map.of("port", 1)).put(one).then().statusCode(404);
        as(intruder).body(Map.of("imageName", "nginx", "imageTag", "1")).patch(one + "/image").then().statusCode(404);
        as(intruder).get(one + "/history").then().statusCode(404);
        as(intruder).body(Map.of("version", 1)).post(one + "/restore").then().statusCode(404);
        as(intruder).delete(one).then().statusCode(404);
        as(intruder).get("/api/apps").then().statusCode(200).body("total", equalTo(0));

        given().get(one).then().statusCode(401);
        String viewer = Tokens.token(company, "vera", "viewer", Tokens.ALL_SCOPES);
        as(viewer).get(one).then().statusCode(200);
        as(viewer).get("/api/hostname/generate").then().statusCode(200);
        as(viewer).body(Map.of("imageName", "nginx", "imageTag", "1")).patch(one + "/image").then().statusCode(403)
                .body("code", equalTo("FORBIDDEN_ROLE"));
        as(viewer).delete(one).then().statusCode(403);
        String noScope = Tokens.token(company, "otto", "operator", "applications:read");
        as(noScope).body(Map.of("imageName", "nginx", "imageTag", "1")).patch(one + "/image").then().statusCode(403)
                .body("code", equalTo("FORBIDDEN_SCOPE")).body("message", containsString("applications:write"));
        as(noScope).delete(one).then().statusCode(403).body("message", containsString("applications:delete"));
        as(Tokens.token(company, "otto", "operator", "environments:read")).get("/api/apps").then().statusCode(403);
        as(admin).header("If-Match", "\"5\"").body(Map.of("port", 1)).put(one).then().statusCode(409);
    }
}
